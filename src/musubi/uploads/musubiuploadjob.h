// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>

/*!
    \class MusubiUploadJob
    \brief One external-mode transfer handed to a MusubiUploader (docs/protocol.md §8.7).

    Carries the entry (ref(), entry() with the wire fields), the local file
    (filePath(), size()), the opaque meta() the server returned from its
    \c upload_external callback, a progress callback (reportProgress()) and a
    cancellation signal (cancelled(), isCancelled()).

    An uploader ends the job exactly once with finish() or fail(); later
    calls are ignored. It does not need to report 100 on success: the client
    does that itself. The job belongs to the client runtime and is deleted
    after it ended (hold a QPointer if a callback may outlive it).

    \sa MusubiUploader, MusubiConnection::registerUploader()
*/
class MUSUBI_CORE_EXPORT MusubiUploadJob : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QString ref READ ref CONSTANT)
    Q_PROPERTY(QJsonObject entry READ entry CONSTANT)
    Q_PROPERTY(QString filePath READ filePath CONSTANT)
    Q_PROPERTY(qint64 size READ size CONSTANT)
    Q_PROPERTY(QString clientType READ clientType CONSTANT)
    Q_PROPERTY(QString uploaderName READ uploaderName CONSTANT)
    Q_PROPERTY(QJsonObject meta READ meta CONSTANT)
public:
    MusubiUploadJob(const QJsonObject &entry, const QString &filePath, const QString &uploader,
                    const QJsonObject &meta, QObject *parent = nullptr);
    ~MusubiUploadJob() override;

    //! The entry ref (\c u_...).
    QString ref() const;
    //! The wire entry: \c{{ref, client_name, client_size, client_type, ...}}.
    QJsonObject entry() const { return m_entry; }
    //! The local file to send.
    QString filePath() const { return m_filePath; }
    //! The byte size announced in the preflight.
    qint64 size() const;
    //! The MIME type announced in the preflight.
    QString clientType() const;
    //! The uploader name the server asked for.
    QString uploaderName() const { return m_uploader; }
    //! The server's opaque meta (e.g. \c{{"url": ..., "headers": {...}}}).
    QJsonObject meta() const { return m_meta; }

    bool isCancelled() const { return m_cancelled; }
    bool isFinished() const { return m_finished; }

public Q_SLOTS:
    //! Reports progress in percent; the client rounds and clamps it to 0–100.
    void reportProgress(double percent);
    //! Ends the job successfully.
    void finish();
    //! Ends the job with an error \a message (relayed as \c external_failed).
    void fail(const QString &message);
    //! Raises the cancellation signal (called by the client on cancel(), reset() or teardown).
    void cancel();

Q_SIGNALS:
    void progressReported(double percent);
    //! The client cancelled the transfer; stop and call nothing more.
    void cancelled();
    //! The job ended: \a ok, or not with \a message.
    void finished(bool ok, const QString &message);

private:
    QJsonObject m_entry;
    QString m_filePath;
    QString m_uploader;
    QJsonObject m_meta;
    bool m_cancelled = false;
    bool m_finished = false;
};

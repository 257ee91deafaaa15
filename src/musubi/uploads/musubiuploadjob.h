// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QString>

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

    QString ref() const;
    QJsonObject entry() const { return m_entry; }
    QString filePath() const { return m_filePath; }
    qint64 size() const;
    QString clientType() const;
    QString uploaderName() const { return m_uploader; }
    QJsonObject meta() const { return m_meta; }

    bool isCancelled() const { return m_cancelled; }
    bool isFinished() const { return m_finished; }

public Q_SLOTS:
    void reportProgress(double percent);
    void finish();
    void fail(const QString &message);
    void cancel();

Q_SIGNALS:
    void progressReported(double percent);
    void cancelled();
    void finished(bool ok, const QString &message);

private:
    QJsonObject m_entry;
    QString m_filePath;
    QString m_uploader;
    QJsonObject m_meta;
    bool m_cancelled = false;
    bool m_finished = false;
};

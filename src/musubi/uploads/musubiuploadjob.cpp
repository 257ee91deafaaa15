// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiuploadjob.h"

#include "musubijson_p.h"

using namespace Qt::StringLiterals;

/*!
    \class MusubiUploadJob
    \inmodule MusubiCore
    \inheaderfile musubiuploadjob.h
    \brief One external-mode transfer handed to a MusubiUploader (docs/protocol.md §8.7).

    Carries the entry (ref(), entry() with the wire fields), the local file
    (filePath(), size()), the opaque meta() the server returned from its
    \c upload_external callback, a progress callback (reportProgress()) and a
    cancellation signal (cancelled(), isCancelled()).

    An uploader ends the job exactly once with finish() or fail(); later
    calls are ignored. It does not need to report 100 on success: the client
    does that itself. The job belongs to the client runtime and is deleted
    after it ended (hold a QPointer if a callback may outlive it).

    \sa MusubiUploader
*/

/*!
    \property MusubiUploadJob::ref

    The entry ref (\c u_...).
*/

/*!
    \property MusubiUploadJob::entry

    The wire entry: \c{{ref, client_name, client_size, client_type, ...}}.
*/

/*!
    \property MusubiUploadJob::filePath

    The local file to send.
*/

/*!
    \property MusubiUploadJob::size

    The byte size announced in the preflight.
*/

/*!
    \property MusubiUploadJob::clientType

    The MIME type announced in the preflight.
*/

/*!
    \property MusubiUploadJob::uploaderName

    The uploader name the server asked for.
*/

/*!
    \property MusubiUploadJob::meta

    The server's opaque meta (e.g. \c{{"url": ..., "headers": {...}}}).
*/

/*!
    \fn void MusubiUploadJob::cancelled()

    Emitted when the client cancelled the transfer; the uploader stops and
    calls nothing more.
*/

/*!
    \fn void MusubiUploadJob::finished(bool ok, const QString &message)

    Emitted once when the job ended: \a ok is \c true after finish(), and
    \c false with the reason in \a message after fail() or cancel().
*/

/*!
    \fn void MusubiUploadJob::progressReported(double percent)

    Emitted for every reportProgress() with its \a percent.
*/

/*!
    \fn bool MusubiUploadJob::isCancelled() const

    Returns whether the client cancelled the transfer.
*/

/*!
    \fn bool MusubiUploadJob::isFinished() const

    Returns whether the job ended (finished, failed or cancelled).
*/

/*!
    Constructs a job for the wire \a entry whose file is \a filePath, to be
    sent by the uploader named \a uploader with the server's \a meta, with
    the given \a parent. The client runtime creates jobs; uploaders only
    receive them.
*/
MusubiUploadJob::MusubiUploadJob(const QJsonObject &entry, const QString &filePath,
                                 const QString &uploader, const QJsonObject &meta, QObject *parent)
    : QObject(parent)
    , m_entry(entry)
    , m_filePath(filePath)
    , m_uploader(uploader)
    , m_meta(meta)
{ }

MusubiUploadJob::~MusubiUploadJob() = default;

QString MusubiUploadJob::ref() const
{
    return m_entry.value("ref"_L1).toString();
}

qint64 MusubiUploadJob::size() const
{
    return Musubi::detail::jsonIntegerOr(m_entry.value("client_size"_L1));
}

QString MusubiUploadJob::clientType() const
{
    return m_entry.value("client_type"_L1).toString();
}

/*!
    Reports progress in \a percent; the client rounds and clamps it to 0–100.
*/
void MusubiUploadJob::reportProgress(double percent)
{
    if (m_finished || m_cancelled)
        return;
    Q_EMIT progressReported(percent);
}

/*!
    Ends the job successfully.
*/
void MusubiUploadJob::finish()
{
    if (m_finished || m_cancelled)
        return;
    m_finished = true;
    Q_EMIT finished(true, QString());
}

/*!
    Ends the job with an error \a message (relayed as \c external_failed).
*/
void MusubiUploadJob::fail(const QString &message)
{
    if (m_finished || m_cancelled)
        return;
    m_finished = true;
    Q_EMIT finished(false, message);
}

/*!
    Raises the cancellation signal (called by the client on cancel(), reset() or teardown).
*/
void MusubiUploadJob::cancel()
{
    if (m_finished || m_cancelled)
        return;
    m_cancelled = true;
    Q_EMIT cancelled();
}

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubilogging_p.h"
#include "musubiuploadtransfer_p.h"

#include "musubijson_p.h"
#include "musubiupload_p.h"
#include "musubiuploader.h"
#include "musubiuploadhost_p.h"
#include "musubiuploadjob.h"

#include <phoenixchannel.h>
#include <phoenixpush.h>

#include <QtCore/QtMath>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {
// Reasons a Musubi server gives to a failed chunk; it reports each with an
// `error` op of its own, so the client must not record it a second time.
bool serverReportsChunkError(const QString &reason)
{
    return reason == "chunk too large"_L1 || reason == "upload too large"_L1
            || reason == "write failed"_L1;
}

QString codeForChunkReason(const QString &reason)
{
    if (reason == "chunk too large"_L1)
        return u"chunk_too_large"_s;
    if (reason == "upload too large"_L1)
        return u"too_large"_s;
    if (reason == "write failed"_L1)
        return u"internal"_s;
    return reason.isEmpty() ? u"internal"_s : reason;
}
} // namespace

UploadTransfer::UploadTransfer(MusubiUpload *upload, const QString &ref, const QString &filePath,
                               const QString &mode, const QString &token, const QString &uploader,
                               const QJsonObject &meta)
    : QObject(upload)
    , m_upload(upload)
    , m_ref(ref)
    , m_filePath(filePath)
    , m_mode(mode)
    , m_token(token)
    , m_uploader(uploader)
    , m_meta(meta)
{ }

UploadTransfer::~UploadTransfer()
{
    // A handle pruned with its store, or a tree cleared on unmount, must not
    // leave a sub-channel behind that the socket would rejoin.
    if (m_outcome == Outcome::Running) {
        m_outcome = Outcome::Cancelled;
        leaveChannel();
        if (m_job)
            m_job->cancel();
    }
}

void UploadTransfer::start()
{
    m_upload->updateEntry(m_ref, [](MusubiUploadEntry &entry) {
        if (entry.status == MusubiUploadEntry::Status::Pending)
            entry.status = MusubiUploadEntry::Status::Uploading;
    });
    if (m_mode == "external"_L1)
        startExternal();
    else
        startChannel();
}

void UploadTransfer::cancel()
{
    if (m_outcome != Outcome::Running)
        return;
    if (m_job)
        m_job->cancel();
    end(Outcome::Cancelled);
}

void UploadTransfer::abort(const QString &code, const QString &message)
{
    // fail() also raises the job's cancel signal: an external uploader must
    // stop, since no server is left to take its result (§12: no resumable uploads).
    fail(code, message, true);
}

// --- channel mode (docs/protocol.md §8.6) ----------------------------------------

void UploadTransfer::startChannel()
{
    UploadHost *host = m_upload->host();
    if (!host) {
        fail(u"not_connected"_s, u"the upload's root is not mounted on a connection"_s, true);
        return;
    }
    // The entry model already read client_size from the wire (0 for an unknown ref).
    const int row = m_upload->d->model->indexOfRef(m_ref);
    m_size = row >= 0 ? m_upload->d->model->entryAt(row).clientSize : 0;
    m_file.setFileName(m_filePath);
    if (!m_file.open(QIODevice::ReadOnly)) {
        fail(u"read_failed"_s, u"cannot read %1: %2"_s.arg(m_filePath, m_file.errorString()), true);
        return;
    }
    const QString topic = u"musubi_upload:"_s + m_ref;
    m_channel = host->uploadChannel(topic, QJsonObject{{u"token"_s, m_token}});
    if (!m_channel) {
        // The root is being let go (or gone): nobody holds it any more.
        fail(u"not_connected"_s, u"the upload's root is not mounted on a connection"_s, true);
        return;
    }
    connect(m_channel, &PhoenixChannel::joined, this, [this] {
        if (m_joined || m_outcome != Outcome::Running)
            return; // a rejoin would start a second upload: never send on one
        m_joined = true;
        sendNextChunk();
    });
    connect(m_channel, &PhoenixChannel::joinFailed, this, [this](const QJsonValue &response) {
        const QString reason = response.toObject().value("reason"_L1).toString();
        fail(reason.isEmpty() ? u"unauthorized"_s : reason,
             u"the server refused the upload channel: %1"_s.arg(reason), true);
    });
    connect(m_channel, &PhoenixChannel::joinTimedOut, this,
            [this] { fail(u"timeout"_s, u"joining the upload channel timed out"_s, true); });
    connect(m_channel, &PhoenixChannel::errored, this, [this](const QString &reason) {
        fail(u"disconnected"_s, u"the upload channel went down: %1"_s.arg(reason), true);
    });
    connect(m_channel, &PhoenixChannel::closed, this, [this] {
        // The server stopped the channel mid-transfer (chunk timeout): its own
        // error op says why.
        fail(u"closed"_s, u"the server closed the upload channel"_s, false);
    });
    m_channel->join();
}

void UploadTransfer::sendNextChunk()
{
    if (m_outcome != Outcome::Running || !m_channel)
        return;
    // The live config decides the slice size (docs/protocol.md §8.6).
    const qint64 chunkSize = qMax(1, m_upload->chunkSize());
    const qint64 want = qMin(chunkSize, m_size - m_sent);
    // Only this slice is ever in memory: the file is read as the replies come.
    const QByteArray chunk = want > 0 ? m_file.read(want) : QByteArray();
    if (want > 0 && chunk.size() != want) {
        fail(u"read_failed"_s,
             u"%1 ended after %2 of %3 bytes"_s.arg(m_filePath)
                     .arg(m_sent + chunk.size())
                     .arg(m_size),
             true);
        return;
    }
    m_sent += chunk.size();
    m_chunkInFlight = true;
    PhoenixPush *push = m_channel->pushBinary(u"chunk"_s, chunk);
    if (!push) {
        fail(u"disconnected"_s, u"the chunk could not be sent"_s, true);
        return;
    }
    connect(push, &PhoenixPush::finished, this,
            [this](PhoenixPush::Result result, const QJsonValue &response) {
                onChunkReply(int(result), response);
            });
}

void UploadTransfer::onChunkReply(int result, const QJsonValue &response)
{
    m_chunkInFlight = false;
    if (m_outcome != Outcome::Running)
        return;
    switch (PhoenixPush::Result(result)) {
    case PhoenixPush::Result::Ok: {
        const int progress = Musubi::detail::jsonPercent(response.toObject().value("progress"_L1));
        m_upload->setEntryProgress(m_ref, progress);
        if (m_sent >= m_size)
            succeed();
        else
            sendNextChunk();
        return;
    }
    case PhoenixPush::Result::Error: {
        const QString reason = response.toObject().value("reason"_L1).toString();
        fail(codeForChunkReason(reason), reason, !serverReportsChunkError(reason));
        return;
    }
    case PhoenixPush::Result::Timeout:
        // A server that gave up (chunk_timeout) never replies; it reports with an op.
        fail(u"chunk_timeout"_s, u"no reply to a chunk in time"_s, false);
        return;
    case PhoenixPush::Result::Failed:
        fail(u"disconnected"_s, u"the chunk was not delivered"_s, true);
        return;
    }
}

// --- external mode (docs/protocol.md §8.7) ----------------------------------------

void UploadTransfer::startExternal()
{
    UploadHost *host = m_upload->host();
    MusubiUploader *uploader = host ? host->uploader(m_uploader) : nullptr;
    if (!uploader) {
        fail(u"no_uploader"_s, u"No registered uploader for \"%1\""_s.arg(m_uploader), true);
        return;
    }
    // The job carries the wire entry (wire field names and status string, §8.7).
    const int row = m_upload->d->model->indexOfRef(m_ref);
    QJsonObject entry = row >= 0 ? m_upload->d->model->entryAt(row).toJson() : QJsonObject();
    if (entry.isEmpty())
        entry.insert(u"ref"_s, m_ref);
    m_job = new MusubiUploadJob(entry, m_filePath, m_uploader, m_meta, this);
    connect(m_job, &MusubiUploadJob::progressReported, this, &UploadTransfer::relayProgress);
    connect(m_job, &MusubiUploadJob::finished, this, &UploadTransfer::onJobFinished);
    uploader->upload(m_job);
}

void UploadTransfer::relayProgress(double percent)
{
    if (m_outcome != Outcome::Running)
        return;
    const int progress = qIsFinite(percent) ? qBound(0, qRound(percent), 100) : 0;
    if (progress == m_lastRelayed)
        return;
    m_lastRelayed = progress;
    // Fire-and-forget: the server's progress op is the confirmation.
    m_upload->pushEvent(u"upload_progress"_s,
                        QJsonObject{{u"store_id"_s, m_upload->storeIdJson()},
                                    {u"name"_s, m_upload->name()},
                                    {u"ref"_s, m_ref},
                                    {u"progress"_s, progress}});
    m_upload->setEntryProgress(m_ref, progress);
}

void UploadTransfer::onJobFinished(bool ok, const QString &message)
{
    if (m_outcome != Outcome::Running)
        return;
    if (ok) {
        // The client reports 100 itself: an uploader need not (docs/protocol.md §8.7.4).
        relayProgress(100); // skipped if the uploader already reported 100
        succeed();
        return;
    }
    const QString why = message.isEmpty() ? u"external upload failed"_s : message;
    PhoenixPush *push = m_upload->pushEvent(u"upload_error"_s,
                                            QJsonObject{{u"store_id"_s, m_upload->storeIdJson()},
                                                        {u"name"_s, m_upload->name()},
                                                        {u"ref"_s, m_ref},
                                                        {u"code"_s, u"external_failed"_s},
                                                        {u"message"_s, why}});
    // The server's error op records it; without a channel nobody else will.
    fail(u"external_failed"_s, why, push == nullptr);
}

// --- ending --------------------------------------------------------------------

void UploadTransfer::fail(const QString &code, const QString &message, bool local)
{
    if (m_outcome != Outcome::Running)
        return;
    qCInfo(lcMusubiUpload).noquote() << m_upload->name() << m_ref << "failed:" << code << message;
    m_error = QJsonObject{{u"ref"_s, m_ref}, {u"code"_s, code}, {u"message"_s, message}};
    const QJsonObject entryError{{u"code"_s, code}, {u"message"_s, message}};
    m_upload->updateEntry(m_ref, [&](MusubiUploadEntry &entry) {
        entry.status = MusubiUploadEntry::Status::Failed;
        if (local)
            entry.errors.append(entryError);
    });
    if (m_job)
        m_job->cancel();
    end(Outcome::Failed);
}

void UploadTransfer::succeed()
{
    m_upload->setEntryProgress(m_ref, 100);
    end(Outcome::Succeeded);
}

void UploadTransfer::end(Outcome outcome)
{
    if (m_outcome != Outcome::Running)
        return;
    m_outcome = outcome;
    m_file.close();
    leaveChannel();
    Q_EMIT ended();
}

void UploadTransfer::leaveChannel()
{
    // Always left, whatever the outcome: a channel left registered would be
    // rejoined with a still valid token and start a second upload (§8.6.6).
    if (PhoenixChannel *channel = m_channel.data()) {
        m_channel.clear();
        disconnect(channel, nullptr, this, nullptr);
        channel->leave();
    }
}

} // namespace Musubi::detail

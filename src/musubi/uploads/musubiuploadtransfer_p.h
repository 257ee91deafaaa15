// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once
//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubiglobal.h"
#include "musubiupload.h"

#include <QtCore/QFile>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QPointer>

class PhoenixChannel;
class MusubiUploadJob;

namespace Musubi::detail {

/*
    \internal
    One running transfer of one entry: channel mode (docs/protocol.md §8.6) or
    external mode (§8.7). Owned by its MusubiUpload; ends exactly once
    (ended()), after which it has left its sub-channel and cancelled its job.
*/
class MUSUBI_CORE_EXPORT UploadTransfer : public QObject
{
    Q_OBJECT
public:
    enum class Outcome { Running, Succeeded, Failed, Cancelled };

    UploadTransfer(MusubiUpload *upload, const QString &ref, const QString &filePath,
                   const QString &mode, const QString &token, const QString &uploader,
                   const QJsonObject &meta);
    ~UploadTransfer() override;

    QString ref() const { return m_ref; }
    Outcome outcome() const { return m_outcome; }
    // \c{{ref, code, message}} when the transfer failed.
    QJsonObject error() const { return m_error; }

    void start();
    // Stops without telling the server anything but the sub-channel leave.
    void cancel();
    /* Ends with Failed and \a code (recorded on the entry): the root's
        connection went down, and with it the server's record of the entry. */
    void abort(const QString &code, const QString &message);

Q_SIGNALS:
    void ended();

private:
    void startChannel();
    void sendNextChunk();
    void onChunkReply(int result, const QJsonValue &response);
    void startExternal();
    void relayProgress(double percent);
    void onJobFinished(bool ok, const QString &message);

    /* Ends with Failed. \a local: the server will not report this error
        (no op follows), so it is recorded on the entry here. */
    void fail(const QString &code, const QString &message, bool local);
    void succeed();
    void end(Outcome outcome);
    void leaveChannel();

    MusubiUpload *m_upload;
    QString m_ref;
    QString m_filePath;
    QString m_mode;
    QString m_token;
    QString m_uploader;
    QJsonObject m_meta;
    Outcome m_outcome = Outcome::Running;
    QJsonObject m_error;

    // channel mode
    QFile m_file;
    qint64 m_size = 0;
    qint64 m_sent = 0;
    bool m_joined = false;
    bool m_chunkInFlight = false;
    QPointer<PhoenixChannel> m_channel;

    // external mode
    QPointer<MusubiUploadJob> m_job;
    int m_lastRelayed = -1;
};

} // namespace Musubi::detail

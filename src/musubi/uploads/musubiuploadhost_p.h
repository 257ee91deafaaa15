// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include <QtCore/QJsonObject>
#include <QtCore/QString>

class MusubiUploader;
class PhoenixChannel;
class PhoenixPush;

namespace Musubi::detail {

/*
    \internal
    What upload handles need from the runtime, and all they get from it: the
    runtime (RootMount) sets it on the store tree (StoreTreePrivate::uploadHost)
    and tells the tree when the connection was lost or the root remounted
    (StoreTreePrivate::uploadsConnectionLost(), uploadsRemounted()). Uploads
    include no runtime header; they talk to the Phoenix layer only through the
    pushes and channels handed out here.
*/
class UploadHost
{
public:
    virtual ~UploadHost() = default;
    // Pushes \a event on the root's channel (Profile S adds \c root_id); nullptr when
    // the root has no joined channel.
    virtual PhoenixPush *pushRootEvent(const QString &event, const QJsonObject &payload,
                                       int timeoutMs = -1) = 0;
    // The upload sub-channel \a topic on the root's socket, joined with \a joinPayload
    // once the caller calls PhoenixChannel::join(); nullptr when there is no socket.
    virtual PhoenixChannel *uploadChannel(const QString &topic, const QJsonObject &joinPayload) = 0;
    // The external uploader registered under \a name on the connection, or nullptr.
    virtual MusubiUploader *uploader(const QString &name) const = 0;
};

} // namespace Musubi::detail

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubirootwire_p.h"

#include <QtCore/QPointer>
#include <phoenixchannel.h>
#include <phoenixscheduler.h>

namespace Musubi::detail {

/*
    \internal
    Profile R (Musubi 0.12+, docs/protocol.md §3): one channel per root on
    \c{<baseTopic>:<module>:<id>}. The join is the mount (its reply must name
    the root), every join-ok restarts the root at version 0, the leave is the
    unmount. A refused or timed-out first join fails the mount; a refused
    rejoin keeps the last good state while the Phoenix layer retries. A channel
    the server closed for good is joined afresh after a second.
*/
class PerRootWire : public RootWire
{
    Q_OBJECT
public:
    using RootWire::RootWire;
    ~PerRootWire() override;

    void attach() override;
    void remount() override;
    void connectionLost() override { }
    void closing() override;
    void abandon() override;
    void giveBack(const QString &) override { abandon(); }
    void unmount() override { abandon(); }
    void retire() override { abandon(); }

    PhoenixChannel *channel() const override;
    QJsonObject address(QJsonObject payload) const override { return payload; }
    bool acceptsEnvelope(const QJsonValue &rootId) const override;

private:
    void join();
    void leave();
    void onJoined(const QJsonValue &response);
    void onJoinFailed(const QJsonValue &response);
    void onJoinTimedOut();
    void onClosedByServer();

    QPointer<PhoenixChannel> m_channel;
    PhoenixSingleShot m_reopen;
};

} // namespace Musubi::detail

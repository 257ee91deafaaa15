// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "connectioncensus.h"

#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubistoretree.h>
#include <musubitestserver.h>
#include <musubiupload.h>
#include <phoenixpush.h>
#include <phoenixscheduler.h>
#include <phoenixsocket.h>

#include <QtCore/QStringList>
#include <QtCore/QTimer>
#include <QtTest/QTest>

#include <algorithm>

using Musubi::detail::RootMount;

namespace MusubiTests {

QByteArray describe(const Census &census)
{
    return QStringLiteral("{objects %1, channels %2, pushes %3, commands %4, timers %5, "
                          "transfers %6, mounts %7}")
            .arg(census.objects)
            .arg(census.channels)
            .arg(census.pushes)
            .arg(census.commands)
            .arg(census.timers)
            .arg(census.transfers)
            .arg(census.mounts)
            .toUtf8();
}

ConnectionCensus::ConnectionCensus(MusubiConnection *connection)
    : m_connection(connection)
    , m_closed(take())
    , m_closedHadTransport(connection->socket()->transport() != nullptr)
{ }

Census ConnectionCensus::take()
{
    Census c;
    PhoenixSocket *socket = m_connection->socket();
    // The connection's private object owns the socket and the channels. A
    // mount is not its child: it is reached through the root's store tree.
    const QObject *owner = socket->parent();
    c.objects = int(owner->findChildren<QObject *>().size());
    c.channels = int(socket->channels().size());
    c.pushes = int(socket->findChildren<PhoenixPush *>().size());
    RootMount *mount = m_root && m_root->storeTree()
            ? qobject_cast<RootMount *>(m_root->storeTree()->parent())
            : nullptr;
    if (mount) {
        c.mounts = 1;
        c.commands = mount->pendingCommandCount();
        c.objects += 1 + int(mount->findChildren<QObject *>().size());
        if (!m_seenMounts.contains(mount))
            m_seenMounts.append(mount);
        const QList<MusubiUpload *> uploads = mount->tree()->uploads();
        for (const MusubiUpload *upload : uploads)
            c.transfers += upload->activeTransferCount();
    }
    if (socket->scheduler()) {
        const QList<QTimer *> timers = socket->scheduler()->findChildren<QTimer *>();
        for (const QTimer *timer : timers)
            c.timers += timer->isActive() ? 1 : 0;
    }
    return c;
}

bool ConnectionCensus::settlesTo(const Census &idle)
{
    return QTest::qWaitFor([&] { return take() == idle; }, 10000);
}

void ConnectionCensus::verifyCleanShutdown(const MusubiTestServer *server)
{
    QVERIFY(!m_seenMounts.isEmpty());
    QVERIFY(!m_root);
    m_connection->close();
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Closed);
    // The transport is created on the first open and kept for the next one.
    Census closed = m_closed;
    closed.objects += m_connection->socket()->transport() && !m_closedHadTransport ? 1 : 0;
    const bool settled = settlesTo(closed);
    QStringList left;
    for (const QObject *o : m_connection->socket()->parent()->findChildren<QObject *>())
        left << QString::fromLatin1(o->metaObject()->className());
    QVERIFY2(settled, (describe(take()) + ' ' + left.join(u',').toUtf8()).constData());
    // Every mount object the test met is gone (deleted later, after its teardown).
    QTRY_VERIFY(std::all_of(m_seenMounts.cbegin(), m_seenMounts.cend(),
                            [](const QPointer<RootMount> &mount) { return mount.isNull(); }));
    QTRY_COMPARE(server->mountedRootCount(), 0);
    QTRY_COMPARE(server->connectionCount(), 0);
}

} // namespace MusubiTests

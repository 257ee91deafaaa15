// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Fault injection through MusubiTestServer over a real loopback WebSocket:
// the socket dropped at every step of a mount and of a command, heartbeat
// loss, version gaps, bad pointers, and storms of refused reconnects. Every
// test checks the same four promises (issue "Hardening"):
//  - the reconnect ladder is followed;
//  - pending commands fail with the right kind;
//  - the last good state stays visible while recovering;
//  - the client converges on the server's state, and nothing is leaked:
//    object counts, pending pushes, pending commands and armed timers are
//    back to their idle values, and to zero once the connection is closed.

#include "../common/connectioncensus.h"
#include "../common/runtimefixture.h"

#include <musubistore.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubiteststore.h>
#include <phoenixchannel.h>
#include <phoenixsocket.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QTimer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;
using MusubiTests::addExplicitProtocols;
using MusubiTests::addProtocolColumns;
using MusubiTests::addProtocolRows;
using MusubiTests::Census;
using MusubiTests::commandError;
using MusubiTests::describe;
using MusubiTests::outcome;

namespace {

const QString Module = u"Fault.Store"_s;

// A root with a child store and a seeded stream, so that a remount rebuilds
// every kind of object the client keeps.
class FaultStore : public MusubiTestStore
{
public:
    FaultStore()
    {
        auto *panel = addChild({u"panel"_s}, new MusubiTestStore);
        panel->setState({{u"open"_s, false}});
        setRenderer([](const MusubiTestStore *s) {
            QJsonObject out = s->state();
            out.insert(u"panel"_s, s->childSlot({u"panel"_s}));
            out.insert(u"log"_s, s->streamSlot(u"log"_s));
            return out;
        });
        onCommand(u"increment"_s, [this](const QJsonObject &payload) {
            setValue(u"count"_s, value(u"count"_s).toInt() + payload.value(u"by"_s).toInt(1));
            return MusubiTestReply::ok({{u"count"_s, value(u"count"_s)}});
        });
        onCommand(u"echo"_s,
                  [](const QJsonObject &payload) { return MusubiTestReply::ok(payload); });
    }

    void mount(const QJsonObject &params) override
    {
        setState({{u"count"_s, params.value(u"count"_s).toInt()}, {u"label"_s, u"fresh"_s}});
        streamReset(u"log"_s);
        streamInsert(u"log"_s, u"a"_s, QJsonObject{{u"n"_s, 1}});
        streamInsert(u"log"_s, u"b"_s, QJsonObject{{u"n"_s, 2}});
    }
};

} // namespace

class tst_Faults : public MusubiTests::RuntimeFixture
{
    Q_OBJECT

public:
    tst_Faults()
        : RuntimeFixture(10000)
    { }

private Q_SLOTS:
    void init();
    void cleanup();

    void dropDuringMount_data();
    void dropDuringMount();
    void dropDuringCommand_data();
    void dropDuringCommand();
    void dropWithManyPendingCommands_data() { addExplicitProtocols(); }
    void dropWithManyPendingCommands();
    void heartbeatLoss_data() { addExplicitProtocols(); }
    void heartbeatLoss();
    void versionGapStorm_data() { addExplicitProtocols(); }
    void versionGapStorm();
    void badPointer_data();
    void badPointer();
    void refusedReconnectStorm_data();
    void refusedReconnectStorm();
    void serverGoneAndBack_data() { addExplicitProtocols(); }
    void serverGoneAndBack();
    void hostileFramesKeepTheRootLive_data() { addExplicitProtocols(); }
    void hostileFramesKeepTheRootLive();
    void oversizedFrame_data() { addExplicitProtocols(); }
    void oversizedFrame();
    void expiredTokenStopsUntilOpen_data() { addExplicitProtocols(); }
    void expiredTokenStopsUntilOpen();
    void refusedFirstConnectThenRefreshedToken_data() { addExplicitProtocols(); }
    void refusedFirstConnectThenRefreshedToken();

private:
    std::unique_ptr<MusubiRoot> makeRoot(int count = 0);
    Census census() { return m_census->take(); }
    //! The root equals the server's last tree, with the stream reseeded.
    void verifyConverged(MusubiRoot *root);
    //! Closes the connection and deletes the root: everything must go away.
    void verifyCleanShutdown(std::unique_ptr<MusubiRoot> root);
    //! The connection settles back to \a idle, then shuts down cleanly.
    void verifySettledAndCleanShutdown(const Census &idle, std::unique_ptr<MusubiRoot> root);

    int m_mounts = 0;
    std::optional<MusubiTests::ConnectionCensus> m_census; // counts the root of the current test
};

void tst_Faults::init()
{
    m_mounts = 0;
    QVERIFY(setUpServer(Module, [this](const MusubiTestMount &, QString *) {
        ++m_mounts;
        return new FaultStore;
    }));
    // Short enough to keep the suite fast, long enough for a loaded (valgrind) run.
    m_connection->setJoinTimeout(5000);
    m_connection->setPushTimeout(5000);
    m_census.emplace(m_connection.get());
    const Census &closed = m_census->closed();
    QCOMPARE(closed.pushes + closed.commands + closed.timers + closed.mounts + closed.channels
                     + closed.transfers,
             0);
}

void tst_Faults::cleanup()
{
    m_census.reset();
    tearDown();
}

std::unique_ptr<MusubiRoot> tst_Faults::makeRoot(int count)
{
    auto root = std::make_unique<MusubiRoot>(m_connection.get(), Module, u"r1"_s,
                                             QVariantMap{{u"count"_s, count}});
    m_census->setRoot(root.get());
    return root;
}

void tst_Faults::verifyConverged(MusubiRoot *root)
{
    QVERIFY(waitLive(root));
    QTRY_COMPARE(root->snapshot(), m_server->wireTree(root->rootId()));
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
    QCOMPARE(root->version(), m_server->rootVersion(root->rootId()));
    QVERIFY(root->store(QJsonArray{u"panel"_s}));
    MusubiStreamModel *log = root->storeTree()->stream(QJsonArray(), u"log"_s);
    QVERIFY(log);
    QCOMPARE(log->keys(), QStringList({u"a"_s, u"b"_s}));
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    // Commands work again.
    auto echo = root->dispatch({}, u"echo"_s, {{u"ping"_s, 1}});
    QVERIFY(finishes(echo));
    QCOMPARE(outcome(echo), u"ok"_s);
    QCOMPARE(echo.result().toObject().value(u"ping"_s).toInt(), 1);
}

void tst_Faults::verifyCleanShutdown(std::unique_ptr<MusubiRoot> root)
{
    root.reset();
    m_census->verifyCleanShutdown(m_server.get());
}

void tst_Faults::verifySettledAndCleanShutdown(const Census &idle, std::unique_ptr<MusubiRoot> root)
{
    QVERIFY2(m_census->settlesTo(idle), describe(census()).constData());
    verifyCleanShutdown(std::move(root));
}

// --- Socket drops during a mount ------------------------------------------------

void tst_Faults::dropDuringMount_data()
{
    addProtocolColumns();
    QTest::addColumn<QString>("step");
    QTest::addColumn<int>("times");
    const QStringList steps{
            u"socket open"_s, // server: the socket passed the connect hook
            u"join sent"_s, // server: a phx_join arrived, not answered yet
            u"joined"_s, // server: the channel is joined (per-root: mounted)
            u"mount sent"_s, // server: a mount push arrived (Profile S only)
            u"root mounted"_s, // server: the root store exists
            u"initial patch sent"_s, // server: the 0->1 envelope is written
            u"client opened"_s, // client: the socket reported open
            u"client live"_s, // client: the initial envelope was accepted
    };
    for (const QString &step : steps) {
        if (step == "mount sent"_L1) {
            QTest::newRow("shared/mount sent")
                    << MusubiTestServer::Profile::Both << MusubiConnection::Protocol::SharedChannel
                    << step << 1;
        } else {
            addProtocolRows(qPrintable(step), step, 1);
        }
    }
    // The same step failing again on every reconnect, three times in a row.
    addProtocolRows("joined x3", u"joined"_s, 3);
    addProtocolRows("initial patch sent x3", u"initial patch sent"_s, 3);
}

void tst_Faults::dropDuringMount()
{
    QFETCH(QString, step);
    QFETCH(int, times);
    int drops = 0;
    // Drops happen on the next event-loop turn: the server finishes handling
    // the frame it is in (and may have queued its answer) before the abort.
    auto drop = [this, &drops, times] {
        if (drops >= times)
            return;
        ++drops;
        QTimer::singleShot(0, m_server.get(), &MusubiTestServer::dropConnections);
    };
    const QString rootTopicSuffix = u":"_s + Module + u":r1"_s;
    if (step == "socket open"_L1) {
        connect(m_server.get(), &MusubiTestServer::clientConnected, this, drop);
    } else if (step == "join sent"_L1) {
        connect(m_server.get(), &MusubiTestServer::messageReceived, this,
                [&, drop](const QString &, const QString &event) {
                    if (event == "phx_join"_L1)
                        drop();
                });
    } else if (step == "joined"_L1) {
        connect(m_server.get(), &MusubiTestServer::channelJoined, this, drop);
    } else if (step == "mount sent"_L1) {
        connect(m_server.get(), &MusubiTestServer::messageReceived, this,
                [&, drop](const QString &, const QString &event) {
                    if (event == "mount"_L1)
                        drop();
                });
    } else if (step == "root mounted"_L1) {
        connect(m_server.get(), &MusubiTestServer::rootMounted, this, drop);
    } else if (step == "initial patch sent"_L1) {
        connect(m_server.get(), &MusubiTestServer::envelopeSent, this,
                [drop](const QString &, const QJsonObject &envelope) {
                    if (envelope.value(u"version"_s).toInt() == 1)
                        drop();
                });
    }
    QSignalSpy connections(m_server.get(), &MusubiTestServer::clientConnected);
    start();
    if (step == "client opened"_L1)
        connect(m_connection->socket(), &PhoenixSocket::opened, this, drop);
    auto root = makeRoot(3);
    QList<MusubiRoot::Status> statuses;
    connect(root.get(), &MusubiRoot::statusChanged, this,
            [&](MusubiRoot::Status status) { statuses.append(status); });
    if (step == "client live"_L1) {
        connect(root.get(), &MusubiRoot::statusChanged, this, [drop](MusubiRoot::Status status) {
            if (status == MusubiRoot::Status::Live)
                drop();
        });
    }
    root->mount();
    QTRY_COMPARE_WITH_TIMEOUT(drops, times, 10000);
    // Every drop costs one connection: the last one is the one that stays.
    QTRY_COMPARE_WITH_TIMEOUT(connections.count(), times + 1, 10000);
    QVERIFY(waitLive(root.get()));
    // Ends live and never went through Failed: a drop is not a refusal.
    QVERIFY2(!statuses.contains(MusubiRoot::Status::Failed), qPrintable(root->errorString()));
    verifyConverged(root.get());
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 3);
    QVERIFY(m_mounts >= 1);

    // Idle census equals the one of a fresh connection that never failed.
    const Census afterFaults = census();
    QCOMPARE(afterFaults.pushes, 0);
    QCOMPARE(afterFaults.commands, 0);
    QCOMPARE(afterFaults.mounts, 1);
    QCOMPARE(afterFaults.channels, 1);
    verifyCleanShutdown(std::move(root));
}

// --- Socket drops during a command ----------------------------------------------

void tst_Faults::dropDuringCommand_data()
{
    addProtocolColumns();
    QTest::addColumn<QString>("step");
    // Whether the command must fail (Disconnected), or may also have succeeded
    // because its reply can have reached the client before the abort.
    QTest::addColumn<bool>("mustFail");
    addProtocolRows("reply withheld", u"reply withheld"_s, true);
    addProtocolRows("reply delayed", u"reply delayed"_s, true);
    addProtocolRows("after reply, before patch", u"after reply"_s, false);
    addProtocolRows("after patch sent", u"after patch"_s, false);
    addProtocolRows("after client got the reply", u"client reply"_s, false);
}

void tst_Faults::dropDuringCommand()
{
    QFETCH(QString, step);
    QFETCH(bool, mustFail);
    start();
    auto root = makeRoot(10);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    QCOMPARE(idle.pushes, 0);
    QCOMPARE(idle.commands, 0);

    QList<int> keptCounts; // the count visible whenever the root goes Reconnecting
    onReconnecting(root.get(), [&] { keptCounts << storeCount(root.get()); });
    QSignalSpy reconnecting(m_connection.get(), &MusubiConnection::statusChanged);

    if (step == "reply withheld"_L1) {
        m_server->withholdNextReply(u"command"_s);
        connect(m_server.get(), &MusubiTestServer::commandReceived, m_server.get(),
                &MusubiTestServer::dropConnections,
                Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
    } else if (step == "reply delayed"_L1) {
        m_server->delayNextReply(60000, u"command"_s);
        connect(m_server.get(), &MusubiTestServer::commandReceived, m_server.get(),
                &MusubiTestServer::dropConnections,
                Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
    } else if (step == "after reply"_L1) {
        m_server->dropAfterNextCommand();
    } else if (step == "after patch"_L1) {
        connect(m_server.get(), &MusubiTestServer::envelopeSent, m_server.get(),
                &MusubiTestServer::dropConnections,
                Qt::ConnectionType(Qt::QueuedConnection | Qt::SingleShotConnection));
    }
    auto command = root->dispatch({}, u"increment"_s, {{u"by"_s, 5}});
    if (step == "client reply"_L1) {
        QVERIFY(finishes(command));
        m_server->dropConnections();
    }
    QVERIFY(finishes(command));
    if (const auto error = commandError(command)) {
        QCOMPARE(error->kind(), MusubiCommandError::Kind::Disconnected);
        QCOMPARE(error->command(), u"increment"_s);
    } else {
        QVERIFY2(!mustFail, "the command succeeded although its reply never came");
        QCOMPARE(command.result().toObject().value(u"count"_s).toInt(), 15);
    }
    QTRY_VERIFY(!reconnecting.isEmpty());
    // Last good state: what the client had applied before the drop (10, or 15
    // if the command's patch was read first), never blanked.
    QVERIFY(!keptCounts.isEmpty());
    for (int kept : std::as_const(keptCounts))
        QVERIFY2(kept == 10 || kept == 15, qPrintable(QString::number(kept)));

    // The server lost the root with the socket: the fresh mount starts at 10 again.
    verifyConverged(root.get());
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 10);
    verifySettledAndCleanShutdown(idle, std::move(root));
}

void tst_Faults::dropWithManyPendingCommands()
{
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    // The first reply is held back for a minute; every later frame of the
    // channel queues behind it, so all commands stay pending.
    m_server->delayNextReply(60000, u"command"_s);
    QSignalSpy received(m_server.get(), &MusubiTestServer::commandReceived);
    QList<QFuture<QJsonValue>> commands;
    for (int i = 0; i < 20; ++i)
        commands.append(root->dispatch({}, u"echo"_s, {{u"i"_s, i}}));
    commands.append(root->dispatch({u"panel"_s}, u"nope"_s));
    QTRY_COMPARE(received.count(), 21);
    QCOMPARE(census().commands, 21);
    m_server->dropConnections();
    for (const auto &command : std::as_const(commands)) {
        QVERIFY(finishes(command));
        const auto error = commandError(command);
        QVERIFY(error);
        QCOMPARE(error->kind(), MusubiCommandError::Kind::Disconnected);
    }
    // While the socket is down, new commands are refused at once.
    if (root->status() != MusubiRoot::Status::Live) {
        auto early = root->dispatch({}, u"echo"_s);
        QVERIFY(finishes(early, 0));
        QCOMPARE(outcome(early), u"not_connected"_s);
    }
    verifyConverged(root.get());
    verifySettledAndCleanShutdown(idle, std::move(root));
}

// --- Heartbeat loss -----------------------------------------------------------

void tst_Faults::heartbeatLoss()
{
    m_connection->setHeartbeatInterval(200);
    start();
    auto root = makeRoot(4);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    QSignalSpy socketErrors(m_connection->socket(), &PhoenixSocket::errorOccurred);
    QSignalSpy opened(m_connection->socket(), &PhoenixSocket::opened);
    QList<int> keptCounts;
    onReconnecting(root.get(), [&] {
        keptCounts << storeCount(root.get());
        // The server comes back to life once the client gave up on the old socket.
        m_server->setAnswersHeartbeats(true);
    });

    m_server->withholdNextReply(u"command"_s);
    auto pending = root->dispatch({}, u"echo"_s);
    m_server->setAnswersHeartbeats(false);
    QVERIFY(finishes(pending));
    QCOMPARE(outcome(pending), u"disconnected"_s);
    QTRY_VERIFY(socketErrors.count() >= 1);
    QVERIFY(socketErrors.at(0).at(0).toString().contains(u"heartbeat"_s));
    QCOMPARE(keptCounts.value(0, -2), 4);
    QTRY_VERIFY(opened.count() >= 1);
    verifyConverged(root.get());
    // Heartbeats keep flowing on the new socket without killing it.
    QSignalSpy heartbeats(m_server.get(), &MusubiTestServer::messageReceived);
    QTRY_VERIFY(std::count_if(heartbeats.cbegin(), heartbeats.cend(),
                              [](const QList<QVariant> &args) {
                                  return args.at(1).toString() == "heartbeat"_L1;
                              })
                >= 3);
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
    verifySettledAndCleanShutdown(idle, std::move(root));
}

// --- Version gaps ---------------------------------------------------------------

void tst_Faults::versionGapStorm()
{
    start();
    auto root = makeRoot(1);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    const QString rootId = root->rootId();
    QSignalSpy errors(root.get(), &MusubiRoot::errorOccurred);

    for (int round = 0; round < 4; ++round) {
        QVERIFY(waitLive(root.get()));
        const QJsonObject before = root->snapshot();
        QList<QJsonObject> keptTrees;
        const auto keep = onReconnecting(root.get(), [&] { keptTrees << root->snapshot(); });
        // A command whose reply never comes is pending when the gap arrives.
        m_server->withholdNextReply(u"command"_s);
        auto pending = root->dispatch({}, u"echo"_s);
        QTRY_COMPARE(census().commands, 1);
        m_server->skipNextVersion();
        m_server->mountedRoot(rootId)->setValue(u"label"_s, u"round %1"_s.arg(round));
        QVERIFY(finishes(pending));
        QCOMPARE(outcome(pending), u"version_mismatch"_s);
        QCOMPARE(keptTrees, QList<QJsonObject>{before});
        disconnect(keep);
    }
    verifyConverged(root.get());
    QCOMPARE(root->store()->value(u"label"_s).toString(), u"fresh"_s);
    QCOMPARE(errors.count(), 4);
    verifySettledAndCleanShutdown(idle, std::move(root));
}

// --- Bad pointers and other refused patches -------------------------------------

void tst_Faults::badPointer_data()
{
    addProtocolColumns();
    QTest::addColumn<QJsonArray>("ops");
    auto op = [](const QString &kind, const QString &path, const QJsonValue &value = {}) {
        QJsonObject o{{u"op"_s, kind}, {u"path"_s, path}};
        if (!value.isUndefined())
            o.insert(u"value"_s, value);
        return o;
    };
    const QList<std::pair<const char *, QJsonArray>> cases{
            {"missing parent", {op(u"add"_s, u"/missing/deep"_s, 1)}},
            {"no leading slash", {op(u"replace"_s, u"count"_s, 1)}},
            {"bad escape", {op(u"replace"_s, u"/co~2unt"_s, 1)}},
            {"remove root", {op(u"remove"_s, u""_s)}},
            {"index out of range", {op(u"add"_s, u"/panel/__musubi_store_id__/5"_s, u"x"_s)}},
            {"leading zero index", {op(u"replace"_s, u"/panel/__musubi_store_id__/00"_s, u"x"_s)}},
            {"into a scalar", {op(u"add"_s, u"/count/x"_s, 1)}},
            {"good op then bad op",
             {op(u"replace"_s, u"/count"_s, 99), op(u"remove"_s, u"/nothing"_s)}},
            {"path not a string", {QJsonObject{{u"op"_s, u"remove"_s}, {u"path"_s, 3}}}},
    };
    for (const auto &c : cases)
        addProtocolRows(c.first, c.second);
}

void tst_Faults::badPointer()
{
    QFETCH(QJsonArray, ops);
    start();
    auto root = makeRoot(2);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    const QJsonObject before = root->snapshot();
    const QStringList logBefore = root->storeTree()->stream(QJsonArray(), u"log"_s)->keys();
    QList<QJsonObject> keptTrees;
    onReconnecting(root.get(), [&] { keptTrees << root->snapshot(); });
    m_server->withholdNextReply(u"command"_s);
    auto pending = root->dispatch({}, u"echo"_s);
    QTRY_COMPARE(census().commands, 1);
    // With a stream op in the same envelope: atomic means it must not land either.
    const QJsonArray streamOps{QJsonObject{{u"op"_s, u"insert"_s},
                                           {u"stream"_s, u"log"_s},
                                           {u"ref"_s, u"0"_s},
                                           {u"store_id"_s, QJsonArray()},
                                           {u"item_key"_s, u"zzz"_s},
                                           {u"at"_s, 0},
                                           {u"item"_s, 1},
                                           {u"limit"_s, QJsonValue::Null}}};
    QVERIFY(m_server->sendEnvelope(root->rootId(),
                                   MusubiTests::patchEnvelope(root->rootId(), ops, streamOps)));
    QVERIFY(finishes(pending));
    QCOMPARE(outcome(pending), u"version_mismatch"_s);
    QCOMPARE(keptTrees, QList<QJsonObject>{before});
    verifyConverged(root.get());
    QCOMPARE(root->storeTree()->stream(QJsonArray(), u"log"_s)->keys(), logBefore);
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 2);
    verifySettledAndCleanShutdown(idle, std::move(root));
}

// --- Reconnect storms -------------------------------------------------------------

void tst_Faults::refusedReconnectStorm_data()
{
    addProtocolColumns();
    QTest::addColumn<int>("refusals");
    addProtocolRows("1", 1);
    addProtocolRows("7", 7);
}

void tst_Faults::refusedReconnectStorm()
{
    QFETCH(int, refusals);
    start();
    auto root = makeRoot(6);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    const QJsonObject lastGood = root->snapshot();

    int refused = 0;
    QList<qint64> refusedAt;
    QElapsedTimer clock;
    // 503: a refusal that is not about credentials, so the client keeps retrying.
    m_server->setConnectAuthenticator([&](const QVariantMap &) {
        if (refused >= refusals)
            return 0;
        ++refused;
        refusedAt << clock.elapsed();
        return 503;
    });
    QList<QJsonObject> treesWhileDown;
    connect(m_connection->socket(), &PhoenixSocket::errorOccurred, this,
            [&] { treesWhileDown << root->snapshot(); });
    clock.start();
    m_server->dropConnections();
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Reconnecting);
    // Mid-storm: commands are refused at once, the state stays visible.
    auto early = root->dispatch({}, u"echo"_s);
    QVERIFY(finishes(early, 0));
    QCOMPARE(outcome(early), u"not_connected"_s);
    QCOMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QCOMPARE(root->snapshot(), lastGood);

    QTRY_COMPARE_WITH_TIMEOUT(refused, refusals, 20000);
    verifyConverged(root.get());
    QVERIFY(!treesWhileDown.isEmpty());
    for (const QJsonObject &tree : std::as_const(treesWhileDown))
        QCOMPARE(tree, lastGood);
    // The ladder: attempt n+1 comes no earlier than the n-th step after attempt n
    // (10, 50, 100, ... ms; jitter only adds).
    for (int i = 1; i < refusedAt.size(); ++i) {
        const qint64 gap = refusedAt.at(i) - refusedAt.at(i - 1);
        QVERIFY2(gap >= PhoenixSocket::reconnectBaseDelay(i) - 2,
                 qPrintable(u"attempt %1 after %2 ms"_s.arg(i).arg(gap)));
    }
    verifySettledAndCleanShutdown(idle, std::move(root));
}

void tst_Faults::serverGoneAndBack()
{
    start();
    auto root = makeRoot(8);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    const QJsonObject lastGood = root->snapshot();
    const int port = m_server->port();
    QSignalSpy socketErrors(m_connection->socket(), &PhoenixSocket::errorOccurred);
    m_server->close(); // connections dropped, port closed: every attempt is refused
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QTRY_VERIFY_WITH_TIMEOUT(socketErrors.count() >= 4, 10000);
    QCOMPARE(root->snapshot(), lastGood);
    QCOMPARE(census().pushes, 0);
    QVERIFY(m_server->listen(port));
    verifyConverged(root.get());
    verifySettledAndCleanShutdown(idle, std::move(root));
}

// --- Hostile frames ---------------------------------------------------------------

void tst_Faults::hostileFramesKeepTheRootLive()
{
    start();
    auto root = makeRoot(5);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    const QJsonObject before = root->snapshot();
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy connectionStatus(m_connection.get(), &MusubiConnection::statusChanged);
    const QByteArray t = rootTopic(root.get()).toUtf8();
    // Nesting far beyond Qt's parser limit (1024): refused by the decoder, never recursed into.
    const QByteArray deep = QByteArray(100000, '[') + QByteArray(100000, ']');
    const QByteArray deepPayload = "[null,null,\"" + t + "\",\"patch\"," + QByteArray(100000, '[')
            + QByteArray(100000, ']') + "]";
    const QList<QByteArray> text{"",
                                 "not json",
                                 "{}",
                                 "[]",
                                 "[1,2,3,4,5]",
                                 "[null,null,null,null,null]",
                                 "[null,\"99\",\"" + t
                                         + "\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]",
                                 "[null,null,\"" + t + "\",\"patch\",{\"type\":\"nope\"}]",
                                 "[null,null,\"" + t + "\",\"patch\",[]]",
                                 "[null,null,\"elsewhere\",\"phx_error\",{}]",
                                 deep,
                                 deepPayload,
                                 QByteArray(3, '\xff')};
    for (const QByteArray &frame : text)
        m_server->sendRawText(frame);
    const QList<QByteArray> binary{QByteArray(), QByteArray(1, '\x01'), QByteArray(1, '\x02'),
                                   QByteArray("\x01\x05\x05\x05\x02"
                                              "abc",
                                              8),
                                   QByteArray(64, '\xff')};
    for (const QByteArray &frame : binary)
        m_server->sendRawBinary(frame);
    // A round trip after the garbage proves it was all read and dropped.
    auto echo = root->dispatch({}, u"echo"_s, {{u"after"_s, true}});
    QVERIFY(finishes(echo));
    QVERIFY(echo.result().toObject().value(u"after"_s).toBool());
    QCOMPARE(status.count(), 0);
    QCOMPARE(connectionStatus.count(), 0);
    QCOMPARE(root->snapshot(), before);
    verifySettledAndCleanShutdown(idle, std::move(root));
}

void tst_Faults::oversizedFrame()
{
    // Read when the transport opens.
    m_connection->socket()->setMaxFrameSize(64 * 1024);
    start();
    auto root = makeRoot(5);
    QVERIFY(mountLive(root.get()));
    const Census idle = census();
    const QJsonObject before = root->snapshot();
    QList<QJsonObject> keptTrees;
    onReconnecting(root.get(), [&] { keptTrees << root->snapshot(); });
    // A well-formed envelope just above the limit: the client refuses to read
    // it (the transport closes with "message too big"), so it reconnects.
    m_server->mountedRoot(root->rootId())->setValue(u"blob"_s, QString(80 * 1024, u'x'));
    QTRY_VERIFY(!keptTrees.isEmpty());
    QCOMPARE(keptTrees.first(), before);
    // The server lost the root with the socket; the fresh mount has no blob.
    verifyConverged(root.get());
    QVERIFY(!root->snapshot().contains(u"blob"_s));
    verifySettledAndCleanShutdown(idle, std::move(root));
}

QTEST_GUILESS_MAIN(tst_Faults)
#include "tst_faults.moc"

// --- Authentication ---------------------------------------------------------------

// The token expires while connected: the reconnect is refused with 401, the
// client stops (no storm), keeps the last good state, and open() retries with
// the provider's refreshed token.
void tst_Faults::expiredTokenStopsUntilOpen()
{
    QString token = u"t1"_s;
    int provided = 0;
    m_connection->setParams({{u"client"_s, u"qt"_s}, {u"token"_s, u"static"_s}});
    m_connection->setParamsProvider([&] {
        ++provided;
        return QVariantMap{{u"token"_s, token}};
    });
    QList<QVariantMap> accepted;
    connect(m_server.get(), &MusubiTestServer::clientConnected, this,
            [&](int, const QVariantMap &params) { accepted << params; });
    m_server->setRequiredToken(u"t1"_s);
    start();
    auto root = makeRoot(4);
    QVERIFY(mountLive(root.get()));
    QCOMPARE(accepted.size(), 1);
    QCOMPARE(accepted.at(0).value(u"token"_s).toString(), u"t1"_s);
    QCOMPARE(accepted.at(0).value(u"client"_s).toString(), u"qt"_s); // merged, not replaced
    const Census idle = census();
    const QJsonObject lastGood = root->snapshot();

    QSignalSpy refused(m_server.get(), &MusubiTestServer::clientRefusedWithStatus);
    QSignalSpy errors(m_connection.get(), &MusubiConnection::errorOccurred);
    QSignalSpy status(m_connection.get(), &MusubiConnection::statusChanged);
    m_server->setRequiredToken(u"t2"_s);
    m_server->dropConnections();
    QTRY_COMPARE_WITH_TIMEOUT(m_connection->status(), MusubiConnection::Status::Unauthorized,
                              10000);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.at(0).at(1).toInt(), 401);
    QCOMPARE(refused.at(0).at(0).toMap().value(u"token"_s).toString(), u"t1"_s);
    // The drop itself may be reported first ("remote host closed"); the refusal once.
    auto refusals = [&errors] {
        int n = 0;
        for (const QList<QVariant> &error : std::as_const(errors))
            n += error.at(0).toString() == u"connection refused: HTTP 401 Unauthorized"_s;
        return n;
    };
    QCOMPARE(refusals(), 1);
    QCOMPARE(errors.last().at(0).toString(), u"connection refused: HTTP 401 Unauthorized"_s);
    const qsizetype errorCount = errors.size();
    QCOMPARE(m_connection->errorString(), u"connection refused: HTTP 401 Unauthorized"_s);
    QCOMPARE(status.last().at(0).value<MusubiConnection::Status>(),
             MusubiConnection::Status::Unauthorized);
    // No retry: the ladder would have tried several times within this window.
    QVERIFY(!refused.wait(400));
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Unauthorized);
    QCOMPARE(errors.size(), errorCount);
    // The last good state stays; commands are refused at once.
    QCOMPARE(root->snapshot(), lastGood);
    QCOMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    auto early = root->dispatch({}, u"echo"_s);
    QVERIFY(finishes(early, 0));
    QCOMPARE(outcome(early), u"not_connected"_s);

    // The app refreshes its credentials and opens again.
    const int before = provided;
    token = u"t2"_s;
    m_connection->open();
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connecting);
    verifyConverged(root.get());
    QCOMPARE(provided, before + 1);
    QCOMPARE(accepted.size(), 2);
    QCOMPARE(accepted.at(1).value(u"token"_s).toString(), u"t2"_s);
    verifySettledAndCleanShutdown(idle, std::move(root));
}

// Never connected: the first attempt is refused (403 Forbidden), status goes
// Connecting -> Unauthorized; a second open() with a good token connects.
void tst_Faults::refusedFirstConnectThenRefreshedToken()
{
    QString token = u"bad"_s;
    m_connection->setParamsProvider([&] { return QVariantMap{{u"token"_s, token}}; });
    m_server->setConnectAuthenticator([](const QVariantMap &params) {
        return params.value(u"token"_s) == u"good"_s ? 0 : 403;
    });
    QSignalSpy errors(m_connection.get(), &MusubiConnection::errorOccurred);
    QSignalSpy refused(m_server.get(), &MusubiTestServer::clientRefused);
    auto root = makeRoot(2);
    root->mount();
    start();
    QTRY_COMPARE_WITH_TIMEOUT(m_connection->status(), MusubiConnection::Status::Unauthorized,
                              10000);
    QCOMPARE(errors.size(), 1);
    QCOMPARE(m_connection->errorString(), u"connection refused: HTTP 403 Forbidden"_s);
    QVERIFY(!refused.wait(400));
    QCOMPARE(refused.size(), 1);
    QCOMPARE(root->status(), MusubiRoot::Status::Connecting);

    // A configured set: 403 no longer counts as unauthorized -> retried.
    token = u"still-bad"_s;
    m_connection->setUnauthorizedStatusCodes({401});
    m_connection->open();
    QTRY_VERIFY_WITH_TIMEOUT(refused.size() >= 3, 10000);
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connecting);
    token = u"good"_s;
    QVERIFY(waitLive(root.get()));
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    verifyConverged(root.get());
    const Census idle = census();
    verifySettledAndCleanShutdown(idle, std::move(root));
}

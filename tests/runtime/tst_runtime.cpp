// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Integration tests of MusubiConnection / MusubiRoot against MusubiTestServer
// over a real loopback WebSocket, for both wire profiles (docs/protocol.md §2, §3)
// and Auto detection.

#include "../common/runtimefixture.h"

#include <musubistore.h>
#include <musubistoreref.h>
#include <musubistoretree.h>
#include <musubiteststore.h>
#include <phoenixchannel.h>
#include <phoenixsocket.h>

#include <QtCore/QJsonDocument>
#include <QtCore/QPointer>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using MusubiTests::addProtocolColumns;
using MusubiTests::addProtocolRows;
using MusubiTests::commandError;

namespace {

const QString Counter = u"Test.CounterStore"_s;

// A subclass with a typed accessor, as an application would write it.
class CounterRoot : public MusubiRoot
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
public:
    CounterRoot(MusubiConnection *connection, const QString &module, const QString &id)
        : MusubiRoot(connection, module, id)
    { }
    int count() const { return store() ? store()->value(u"count"_s).toInt() : -1; }
    QList<Status> statuses;
Q_SIGNALS:
    void countChanged();

protected:
    void storesChangeEvent(const QList<QJsonArray> &ids) override
    {
        if (ids.contains(QJsonArray()))
            Q_EMIT countChanged();
    }
    void statusChangeEvent(Status status, Status) override { statuses.append(status); }
};

} // namespace

class tst_Runtime : public MusubiTests::RuntimeFixture
{
    Q_OBJECT

public:
    tst_Runtime()
        : RuntimeFixture(5000)
    { }

private Q_SLOTS:
    void init();
    void cleanup();

    void mount_data() { profiles(); }
    void mount();
    void connectionStatus_data() { profiles(); }
    void connectionStatus();
    void sharedMounts_data() { profiles(); }
    void sharedMounts();
    void unmountFailsPending_data() { profiles(); }
    void unmountFailsPending();
    void commandOk_data() { profiles(); }
    void commandOk();
    void commandErrors_data();
    void commandErrors();
    void commandTimeout_data() { profiles(); }
    void commandTimeout();
    void commandNotConnected_data() { profiles(); }
    void commandNotConnected();
    void eventsAfterState_data() { profiles(); }
    void eventsAfterState();
    void versionGapRecovers_data() { profiles(); }
    void versionGapRecovers();
    void storesChangedLifecycle_data() { profiles(); }
    void storesChangedLifecycle();
    void badPatchRecovers_data();
    void badPatchRecovers();
    void notAnEnvelopeIsDropped_data();
    void notAnEnvelopeIsDropped();
    void dropMidCommand_data() { profiles(); }
    void dropMidCommand();
    void reconnectRemountsOnce_data();
    void reconnectRemountsOnce();
    void refusedMount_data();
    void refusedMount();
    void autoFallsBackToPerRoot();
    void autoStaysShared();
    void joinRefusedEverywhere_data();
    void joinRefusedEverywhere();
    void subclassHooks_data() { profiles(); }
    void subclassHooks();
    void closeAndReopen_data() { profiles(); }
    void closeAndReopen();
    void connectionDestroyedFirst_data() { profiles(); }
    void connectionDestroyedFirst();
    void mountNeedsIdentity();
    void uploaderRegistry();
    void serverEndsChannel_data();
    void serverEndsChannel();
    void heartbeatTimeoutReconnects_data() { profiles(); }
    void heartbeatTimeoutReconnects();
    void readyLifecycle_data() { profiles(); }
    void readyLifecycle();
    void errorReplyProperty_data() { profiles(); }
    void errorReplyProperty();
    void storeRef_data() { profiles(); }
    void storeRef();
    void storeRefFollowsRootAndId_data() { profiles(); }
    void storeRefFollowsRootAndId();

private:
    void profiles();
    std::unique_ptr<MusubiRoot> makeRoot(const QString &id = u"c1"_s,
                                         const QVariantMap &params = {});

    int m_generation = 1; // written into every fresh server root as "generation"
    QHash<QString, int> m_mounts;
};

void tst_Runtime::profiles()
{
    addProtocolColumns();
    QTest::addColumn<MusubiConnection::Protocol>("active");
    for (const MusubiTests::ProtocolRow &row : MusubiTests::ExplicitProtocols)
        QTest::newRow(row.tag) << MusubiTestServer::Profile::Both << row.protocol << row.protocol;
    // Auto against servers that speak only one generation.
    QTest::newRow("auto/0.4-0.11 server")
            << MusubiTestServer::Profile::Shared << MusubiConnection::Protocol::Auto
            << MusubiConnection::Protocol::SharedChannel;
    QTest::newRow("auto/0.12+ server")
            << MusubiTestServer::Profile::PerRoot << MusubiConnection::Protocol::Auto
            << MusubiConnection::Protocol::PerRootChannel;
}

void tst_Runtime::init()
{
    m_generation = 1;
    m_mounts.clear();
    QVERIFY(setUpServer(Counter, [this](const MusubiTestMount &mount, QString *refusal) {
        const QJsonValue refuse = mount.params.value(u"refuse"_s);
        if (refuse.isString()) {
            *refusal = refuse.toString();
            return static_cast<MusubiTestStore *>(nullptr);
        }
        ++m_mounts[mount.rootId];
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, mount.params.value(u"count"_s).toInt()},
                         {u"generation"_s, m_generation}});
        auto *panel = store->addChild({u"panel"_s}, new MusubiTestStore);
        panel->setState({{u"open"_s, false}});
        panel->onCommand(u"toggle"_s, [panel](const QJsonObject &) {
            panel->setValue(u"open"_s, !panel->value(u"open"_s).toBool());
            panel->pushEvent(u"toggled"_s, QJsonObject{{u"open"_s, panel->value(u"open"_s)}});
            return MusubiTestReply::ok({{u"open"_s, panel->value(u"open"_s)}});
        });
        store->setRenderer([](const MusubiTestStore *s) {
            QJsonObject out = s->state();
            // "hidePanel" (command showPanel) unmounts the child store by a patch.
            if (!out.take(u"hidePanel"_s).toBool())
                out.insert(u"panel"_s, s->childSlot({u"panel"_s}));
            return out;
        });
        store->onCommand(u"showPanel"_s, [store](const QJsonObject &payload) {
            store->setValue(u"hidePanel"_s, !payload.value(u"show"_s).toBool());
            return MusubiTestReply::ok();
        });
        store->onCommand(u"increment"_s, [store](const QJsonObject &payload) {
            store->setValue(u"count"_s,
                            store->value(u"count"_s).toInt() + payload.value(u"by"_s).toInt(1));
            return MusubiTestReply::noReply();
        });
        store->onCommand(u"echo"_s,
                         [](const QJsonObject &payload) { return MusubiTestReply::ok(payload); });
        store->onCommand(u"fail"_s, [](const QJsonObject &payload) {
            return MusubiTestReply::errorResponse(payload);
        });
        store->onCommand(u"notify"_s, [store](const QJsonObject &) {
            const int count = store->value(u"count"_s).toInt() + 1;
            store->setValue(u"count"_s, count);
            store->pushEvent(u"toast"_s, QJsonObject{{u"count"_s, count}});
            return MusubiTestReply::noReply();
        });
        return store;
    }));
}

void tst_Runtime::cleanup()
{
    tearDown();
}

std::unique_ptr<MusubiRoot> tst_Runtime::makeRoot(const QString &id, const QVariantMap &params)
{
    return std::make_unique<MusubiRoot>(m_connection.get(), Counter, id, params);
}

void tst_Runtime::mount()
{
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 5}});
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy storeSpy(root.get(), &MusubiRoot::storeChanged);
    QCOMPARE(root->status(), MusubiRoot::Status::Unmounted);
    QCOMPARE(root->rootId(), u"Test.CounterStore:c1"_s);
    root->mount();
    QVERIFY(root->isMounted());
    QCOMPARE(root->status(), MusubiRoot::Status::Connecting);
    QCOMPARE(root->version(), 0);
    QVERIFY(waitLive(root.get()));
    // Live only on the accepted initial patch, and exactly once.
    QCOMPARE(status.count(), 2);
    QCOMPARE(root->version(), 1);
    QCOMPARE(root->rootId(), u"Test.CounterStore:c1"_s);
    QVERIFY(root->store());
    QVERIFY(storeSpy.count() >= 1);
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 5);
    QCOMPARE(root->store()->storeIdJson(), QJsonArray());
    QVERIFY(root->store(QJsonArray{u"panel"_s}));
    QCOMPARE(root->storeById(QJsonArray{u"panel"_s}), root->store(QJsonArray{u"panel"_s}));
    QCOMPARE(root->snapshot(), m_server->wireTree(root->rootId()));
    QCOMPARE(root->snapshot().value(u"__musubi_store_id__"_s).toArray(), QJsonArray());
    QVERIFY(root->storeTree());
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    QFETCH(MusubiConnection::Protocol, active);
    QCOMPARE(m_connection->activeProtocol(), active);
    if (perRoot())
        QVERIFY(m_server->joinedTopics().contains(u"musubi:connection:Test.CounterStore:c1"_s));
    else
        QVERIFY(m_server->joinedTopics().contains(u"musubi:connection"_s));
}

void tst_Runtime::connectionStatus()
{
    QSignalSpy spy(m_connection.get(), &MusubiConnection::statusChanged);
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Closed);
    start();
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Connecting);
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    m_server->dropConnections();
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Reconnecting);
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    m_connection->close();
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Closed);
    const QList<MusubiConnection::Status> expected{
            MusubiConnection::Status::Connecting, MusubiConnection::Status::Connected,
            MusubiConnection::Status::Reconnecting, MusubiConnection::Status::Connected,
            MusubiConnection::Status::Closed};
    QCOMPARE(spy.count(), expected.size());
    for (int i = 0; i < expected.size(); ++i)
        QCOMPARE(spy.at(i).at(0).value<MusubiConnection::Status>(), expected.at(i));
    QCOMPARE(spy.at(1).at(1).value<MusubiConnection::Status>(),
             MusubiConnection::Status::Connecting);
}

void tst_Runtime::sharedMounts()
{
    start();
    QSignalSpy mounted(m_server.get(), &MusubiTestServer::rootMounted);
    QSignalSpy unmounted(m_server.get(), &MusubiTestServer::rootUnmounted);
    auto a = makeRoot(u"c1"_s, {{u"count"_s, 1}});
    auto b = makeRoot(u"c1"_s, {{u"count"_s, 2}}); // later params lose
    a->mount();
    b->mount();
    QVERIFY(waitLive(a.get()));
    QVERIFY(waitLive(b.get()));
    QCOMPARE(a->storeTree(), b->storeTree());
    QCOMPARE(a->store(), b->store());
    QCOMPARE(b->store()->value(u"count"_s).toInt(), 1);

    // A third holder arriving late is live at once.
    auto c = makeRoot();
    c->mount();
    QCOMPARE(c->status(), MusubiRoot::Status::Live);
    QCOMPARE(c->version(), 1);

    a->unmount();
    c->unmount();
    QCOMPARE(a->status(), MusubiRoot::Status::Unmounted);
    QCOMPARE(a->store(), nullptr);
    // b still holds the mount: a round trip proves the server root is alive.
    auto reply = b->dispatch({}, u"echo"_s, {{u"x"_s, 1}});
    QVERIFY(finishes(reply));
    QCOMPARE(reply.result().toObject().value(u"x"_s).toInt(), 1);
    QCOMPARE(unmounted.count(), 0);
    QCOMPARE(mounted.count(), 1);

    b->unmount();
    QTRY_COMPARE(unmounted.count(), 1);
    QCOMPARE(unmounted.at(0).at(0).toString(), u"Test.CounterStore:c1"_s);
    QCOMPARE(m_server->mountedRootCount(), 0);
    if (perRoot())
        QVERIFY(!m_server->joinedTopics().contains(u"musubi:connection:Test.CounterStore:c1"_s));
}

void tst_Runtime::unmountFailsPending()
{
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QFuture<QJsonValue> pending;
    QVERIFY(dispatchWithheld(root.get(), &pending));
    root->unmount();
    QVERIFY(finishes(pending));
    const auto error = commandError(pending);
    QVERIFY(error);
    QCOMPARE(error->kind(), MusubiCommandError::Kind::Unmounted);
    QTRY_COMPARE(m_server->mountedRootCount(), 0);
    // Mount again: a fresh mount, fresh state.
    QVERIFY(mountLive(root.get()));
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 0);
}

void tst_Runtime::commandOk()
{
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QSignalSpy received(m_server.get(), &MusubiTestServer::commandReceived);

    auto reply = root->dispatch({}, u"increment"_s, {{u"by"_s, 3}});
    QVERIFY(finishes(reply));
    QVERIFY(!commandError(reply));
    QCOMPARE(reply.result(), QJsonValue(QJsonObject())); // {:noreply} is {} (never null)
    // The reply says nothing about the patch: wait for the state.
    QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 3);
    QCOMPARE(root->version(), 2);
    QCOMPARE(received.count(), 1);
    QCOMPARE(received.at(0).at(0).toString(), u"Test.CounterStore:c1"_s);
    QCOMPARE(received.at(0).at(3).toJsonObject(), QJsonObject({{u"by"_s, 3}}));

    auto echo = root->dispatch({}, u"echo"_s, {{u"a"_s, u"b"_s}});
    QVERIFY(finishes(echo));
    QCOMPARE(echo.result().toObject(), QJsonObject({{u"a"_s, u"b"_s}}));

    // Through the store (the tree's dispatcher is the root).
    auto viaStore = root->store()->dispatch(u"increment"_s);
    QVERIFY(finishes(viaStore));
    QVERIFY(!commandError(viaStore));
    QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 4);

    MusubiStore *panel = root->store(QJsonArray{u"panel"_s});
    QVERIFY(panel);
    auto toggle = panel->dispatch(u"toggle"_s);
    QVERIFY(finishes(toggle));
    QCOMPARE(toggle.result().toObject().value(u"open"_s).toBool(), true);
    QTRY_COMPARE(panel->value(u"open"_s).toBool(), true);
    QCOMPARE(received.last().at(1).toJsonArray(), QJsonArray{u"panel"_s});
}

void tst_Runtime::commandErrors_data()
{
    addProtocolColumns();
    QTest::addColumn<QJsonArray>("storeId");
    QTest::addColumn<QString>("name");
    QTest::addColumn<QJsonObject>("payload");
    QTest::addColumn<QString>("code");
    QTest::addColumn<QJsonObject>("reply");

    const struct
    {
        const char *tag;
        QJsonArray storeId;
        QString name;
        QJsonObject payload;
        QString code;
        QJsonObject reply;
    } rows[] = {
            {"unknown command",
             {},
             u"nope"_s,
             {},
             u"unknown command"_s,
             {{u"reason"_s, u"unknown command"_s}}},
            {"unknown store",
             {u"ghost"_s},
             u"increment"_s,
             {},
             u"unknown store"_s,
             {{u"reason"_s, u"unknown store"_s}}},
            {"missing name",
             {},
             QString(),
             {},
             u"missing required field"_s,
             {{u"reason"_s, u"missing required field"_s}}},
            {"code first",
             {},
             u"fail"_s,
             {{u"code"_s, u"E42"_s}, {u"error"_s, u"x"_s}, {u"reason"_s, u"y"_s}},
             u"E42"_s,
             {{u"code"_s, u"E42"_s}, {u"error"_s, u"x"_s}, {u"reason"_s, u"y"_s}}},
            {"null code skipped",
             {},
             u"fail"_s,
             {{u"code"_s, QJsonValue::Null},
              {u"error"_s, u"unknown command"_s},
              {u"reason"_s, u"x"_s}},
             u"unknown command"_s,
             {{u"code"_s, QJsonValue::Null},
              {u"error"_s, u"unknown command"_s},
              {u"reason"_s, u"x"_s}}},
            {"no string field", {}, u"fail"_s, {{u"detail"_s, 1}}, QString(), {{u"detail"_s, 1}}},
    };
    for (const auto &row : rows)
        addProtocolRows(row.tag, row.storeId, row.name, row.payload, row.code, row.reply);
}

void tst_Runtime::commandErrors()
{
    QFETCH(QJsonArray, storeId);
    QFETCH(QString, name);
    QFETCH(QJsonObject, payload);
    QFETCH(QString, code);
    QFETCH(QJsonObject, reply);
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    auto future = root->dispatch(storeId, name, payload);
    QVERIFY(finishes(future));
    const auto error = commandError(future);
    QVERIFY(error);
    QCOMPARE(error->kind(), MusubiCommandError::Kind::Failed);
    QCOMPARE(error->kindName(), u"failed"_s);
    QCOMPARE(error->command(), name);
    QCOMPARE(error->storeId(), storeId);
    QCOMPARE(error->code(), code);
    QCOMPARE(error->reply().toObject(), reply);
    QVERIFY(error->message().startsWith(QStringLiteral("Command \"%1\" failed: ").arg(name)));
    // A failing command never stops the root.
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
    auto ok = root->dispatch({}, u"echo"_s);
    QVERIFY(finishes(ok));
    QVERIFY(!commandError(ok));
}

void tst_Runtime::commandTimeout()
{
    m_connection->setPushTimeout(150);
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    m_server->withholdNextReply(u"command"_s);
    auto future = root->dispatch({}, u"increment"_s);
    QVERIFY(finishes(future));
    const auto error = commandError(future);
    QVERIFY(error);
    QCOMPARE(error->kind(), MusubiCommandError::Kind::Timeout);
    QCOMPARE(error->message(), u"Command \"increment\" timed out"_s);
    QVERIFY(error->reply().isUndefined());
    // Its effect still happened (never retried, so it ran exactly once).
    QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 1);
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
}

void tst_Runtime::commandNotConnected()
{
    auto root = makeRoot();
    // Not mounted at all.
    auto unmounted = root->dispatch({}, u"increment"_s);
    QVERIFY(unmounted.isFinished());
    QCOMPARE(commandError(unmounted)->kind(), MusubiCommandError::Kind::NotConnected);

    start();
    root->mount();
    // Mounted but not live yet (version 0): rejected at once, nothing sent.
    QSignalSpy received(m_server.get(), &MusubiTestServer::commandReceived);
    auto early = root->dispatch({}, u"increment"_s);
    QVERIFY(early.isFinished());
    const auto error = commandError(early);
    QVERIFY(error);
    QCOMPARE(error->kind(), MusubiCommandError::Kind::NotConnected);
    QCOMPARE(error->kindName(), u"not_connected"_s);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(received.count(), 0);
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 0);

    // While reconnecting.
    m_server->dropConnections();
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    auto during = root->dispatch({}, u"increment"_s);
    QVERIFY(during.isFinished());
    QCOMPARE(commandError(during)->kind(), MusubiCommandError::Kind::NotConnected);
}

void tst_Runtime::eventsAfterState()
{
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    MusubiStore *store = root->store();
    MusubiStore *panel = root->store(QJsonArray{u"panel"_s});
    QStringList log;
    connect(store, &MusubiStore::changed, this, [&] { log << u"changed"_s; });
    connect(root.get(), &MusubiRoot::storesChanged, this,
            [&](const QList<QJsonArray> &ids) { log << u"stores:%1"_s.arg(ids.size()); });
    connect(root.get(), &MusubiRoot::eventReceived, this,
            [&](const QJsonArray &id, const QString &name, const QJsonValue &payload) {
                log << u"event:%1:%2"_s.arg(id.size()).arg(name);
                if (name == "toast"_L1) // the state of the same envelope is already visible
                    QCOMPARE(store->value(u"count"_s).toInt(),
                             payload.toObject().value(u"count"_s).toInt());
            });
    connect(store, &MusubiStore::eventReceived, this,
            [&](const QJsonArray &id, const QString &name, const QJsonValue &) {
                log << u"store-event:%1:%2"_s.arg(id.size()).arg(name);
            });
    connect(panel, &MusubiStore::eventReceived, this,
            [&](const QJsonArray &id, const QString &name, const QJsonValue &) {
                log << u"panel-event:%1:%2"_s.arg(id.size()).arg(name);
            });
    int toasts = 0;
    QJsonValue lastToast;
    const QMetaObject::Connection token =
            root->handleEvent(QJsonArray(), u"toast"_s, this, [&](const QJsonValue &payload) {
                ++toasts;
                lastToast = payload;
            });
    int panelHits = 0;
    root->handleEvent(QJsonArray{u"panel"_s}, u"toggled"_s, this,
                      [&](const QJsonValue &) { ++panelHits; });

    auto reply = root->dispatch({}, u"notify"_s);
    QVERIFY(finishes(reply));
    QTRY_COMPARE(toasts, 1);
    QCOMPARE(lastToast.toObject().value(u"count"_s).toInt(), 1);
    QCOMPARE(log,
             QStringList(
                     {u"changed"_s, u"stores:1"_s, u"event:0:toast"_s, u"store-event:0:toast"_s}));

    log.clear();
    auto toggle = panel->dispatch(u"toggle"_s);
    QVERIFY(finishes(toggle));
    QTRY_COMPARE(panelHits, 1);
    // The panel lives inside the root node, so both stores changed.
    QCOMPARE(log,
             QStringList({u"changed"_s, u"stores:2"_s, u"event:1:toggled"_s,
                          u"panel-event:1:toggled"_s}));

    // The token disconnects the handler.
    QVERIFY(disconnect(token));
    auto again = root->dispatch({}, u"notify"_s);
    QVERIFY(finishes(again));
    QTRY_COMPARE(store->value(u"count"_s).toInt(), 2);
    QTRY_COMPARE(log.count(u"store-event:0:toast"_s), 1); // delivered, but not to the handler
    QCOMPARE(toasts, 1);
}

void tst_Runtime::versionGapRecovers()
{
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 7}});
    QVERIFY(mountLive(root.get()));
    QStringList wire;
    connect(m_server.get(), &MusubiTestServer::messageReceived, this,
            [&](const QString &topic, const QString &event) {
                if (event != "heartbeat"_L1)
                    wire << topic.section(u':', 0, 1) + u' ' + event;
            });
    QList<int> keptCounts;
    onReconnecting(root.get(), [&] { keptCounts << storeCount(root.get()); });
    QSignalSpy received(m_server.get(), &MusubiTestServer::commandReceived);
    m_server->withholdNextReply(u"command"_s);
    m_server->skipNextVersion();
    auto pending = root->dispatch({}, u"increment"_s);
    QVERIFY(finishes(pending));
    const auto error = commandError(pending);
    QVERIFY(error);
    QCOMPARE(error->kind(), MusubiCommandError::Kind::VersionMismatch);
    QCOMPARE(keptCounts, QList<int>{7});
    QCOMPARE(root->version(), 0);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(root->version(), 1);
    // Converged: exactly the server's fresh tree.
    QCOMPARE(root->snapshot(), m_server->wireTree(root->rootId()));
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 7);
    if (perRoot()) {
        QCOMPARE(wire,
                 QStringList({u"musubi:connection command"_s, u"musubi:connection phx_leave"_s,
                              u"musubi:connection phx_join"_s}));
    } else {
        QCOMPARE(wire,
                 QStringList({u"musubi:connection command"_s, u"musubi:connection unmount"_s,
                              u"musubi:connection mount"_s}));
    }
    // And it works again.
    auto after = root->dispatch({}, u"increment"_s);
    QVERIFY(finishes(after));
    QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 8);
    QCOMPARE(root->version(), 2);
}

// MusubiRoot::storesChanged() over a root's life: every store that appeared or differs by
// value from the last state shown, parents first; an identical rejoin lists nothing.
void tst_Runtime::storesChangedLifecycle()
{
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 3}});
    QList<QStringList> lists;
    connect(root.get(), &MusubiRoot::storesChanged, this, [&](const QList<QJsonArray> &ids) {
        QStringList names;
        for (const QJsonArray &id : ids)
            names << QString::fromUtf8(QJsonDocument(id).toJson(QJsonDocument::Compact));
        lists << names;
    });
    const QStringList both{u"[]"_s, u"[\"panel\"]"_s};
    const QStringList rootOnly{u"[]"_s};

    // The initial envelope: the root and the child it brings.
    QVERIFY(mountLive(root.get()));
    QCOMPARE(lists, QList<QStringList>{both});

    // A rejoin whose initial patch is identical: an empty list.
    lists.clear();
    m_server->dropConnections();
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(lists, QList<QStringList>{QStringList()});

    // A command's patch.
    lists.clear();
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(lists, QList<QStringList>{rootOnly});

    // Version-gap recovery: the fresh mount differs from what was shown in the root only.
    lists.clear();
    m_generation = 2;
    m_server->skipNextVersion();
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(lists, QList<QStringList>{rootOnly});
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 3);

    // A remount after unmount starts from nothing: everything appears again.
    lists.clear();
    root->unmount();
    QVERIFY(lists.isEmpty());
    QTRY_COMPARE(m_server->mountedRootCount(), 0);
    QVERIFY(mountLive(root.get()));
    QCOMPARE(lists, QList<QStringList>{both});
}

void tst_Runtime::badPatchRecovers_data()
{
    addProtocolColumns();
    QTest::addColumn<QJsonArray>("ops");
    const QJsonArray move{
            QJsonObject{{u"op"_s, u"move"_s}, {u"from"_s, u"/count"_s}, {u"path"_s, u"/other"_s}}};
    const QJsonArray badPointer{
            QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, u"/missing/deep"_s}, {u"value"_s, 1}}};
    const QJsonArray noValue{QJsonObject{{u"op"_s, u"add"_s}, {u"path"_s, u"/x"_s}}};
    addProtocolRows("move", move);
    addProtocolRows("bad pointer", badPointer);
    addProtocolRows("add without value", noValue);
}

void tst_Runtime::badPatchRecovers()
{
    QFETCH(QJsonArray, ops);
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 2}});
    QVERIFY(mountLive(root.get()));
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy errors(root.get(), &MusubiRoot::errorOccurred);
    const QJsonObject before = root->snapshot();
    QVERIFY(m_server->sendEnvelope(root->rootId(),
                                   MusubiTests::patchEnvelope(root->rootId(), ops)));
    QVERIFY(status.wait());
    QCOMPARE(status.at(0).at(0).value<MusubiRoot::Status>(), MusubiRoot::Status::Reconnecting);
    QCOMPARE(root->snapshot(), before); // atomic: the tree is untouched
    QTRY_COMPARE(status.count(), 2);
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.at(0).at(0).toString().startsWith(u"Patch rejected"_s));
    QCOMPARE(root->snapshot(), m_server->wireTree(root->rootId()));
    QCOMPARE(root->version(), 1);
}

void tst_Runtime::notAnEnvelopeIsDropped_data()
{
    addProtocolColumns();
    QTest::addColumn<QJsonObject>("payload");
    const QJsonObject good{{u"type"_s, u"patch"_s},  {u"root_id"_s, u"Test.CounterStore:c1"_s},
                           {u"base_version"_s, 1},   {u"version"_s, 2},
                           {u"ops"_s, QJsonArray()}, {u"stream_ops"_s, QJsonArray()}};
    auto with = [&](const QString &key, const QJsonValue &value) {
        QJsonObject o = good;
        if (value.isUndefined())
            o.remove(key);
        else
            o.insert(key, value);
        return o;
    };
    const struct
    {
        const char *tag;
        QJsonObject payload;
    } rows[] = {
            {"wrong type", with(u"type"_s, u"diff"_s)},
            {"no type", with(u"type"_s, QJsonValue::Undefined)},
            {"string version", with(u"version"_s, u"2"_s)},
            {"fractional base", with(u"base_version"_s, 1.5)},
            {"negative base", with(u"base_version"_s, -1)},
            {"ops not array", with(u"ops"_s, QJsonObject())},
            {"no stream_ops", with(u"stream_ops"_s, QJsonValue::Undefined)},
            {"events not array", with(u"events"_s, 3)},
            {"root_id not string", with(u"root_id"_s, 7)},
    };
    for (const auto &row : rows)
        addProtocolRows(row.tag, row.payload);
}

void tst_Runtime::notAnEnvelopeIsDropped()
{
    QFETCH(QJsonObject, payload);
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy version(root.get(), &MusubiRoot::versionChanged);
    QVERIFY(m_server->sendEnvelope(root->rootId(), payload));
    // A command round trip later the root is untouched and still in order.
    auto reply = root->dispatch({}, u"increment"_s);
    QVERIFY(finishes(reply));
    QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 1);
    QCOMPARE(root->version(), 2);
    QCOMPARE(status.count(), 0);
    QCOMPARE(version.count(), 1);
}

void tst_Runtime::dropMidCommand()
{
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QFuture<QJsonValue> pending;
    QVERIFY(dispatchWithheld(root.get(), &pending));
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    m_server->dropConnections();
    QVERIFY(finishes(pending));
    const auto error = commandError(pending);
    QVERIFY(error);
    QCOMPARE(error->kind(), MusubiCommandError::Kind::Disconnected);
    QCOMPARE(error->kindName(), u"disconnected"_s);
    QTRY_COMPARE(status.count(), 2);
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
}

void tst_Runtime::reconnectRemountsOnce_data()
{
    addProtocolColumns();
    QTest::addColumn<bool>("serverChanged");
    addProtocolRows("refreshed", true);
    addProtocolRows("identical", false);
}

void tst_Runtime::reconnectRemountsOnce()
{
    QFETCH(bool, serverChanged);
    start();
    auto root = makeRoot();
    auto other = makeRoot(u"c2"_s);
    root->mount();
    other->mount();
    QVERIFY(waitLive(root.get()));
    QVERIFY(waitLive(other.get()));
    MusubiStore *store = root->store();
    QSignalSpy changed(store, &MusubiStore::changed);
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy mounted(m_server.get(), &MusubiTestServer::rootMounted);
    QList<int> generationsWhileReconnecting;
    connect(root.get(), &MusubiRoot::statusChanged, this, [&](MusubiRoot::Status s) {
        if (s == MusubiRoot::Status::Reconnecting)
            generationsWhileReconnecting << store->value(u"generation"_s).toInt();
    });
    if (serverChanged)
        m_generation = 2;

    m_server->dropConnections();
    QTRY_COMPARE(status.count(), 2);
    QVERIFY(waitLive(root.get()));
    QVERIFY(waitLive(other.get()));
    QCOMPARE(generationsWhileReconnecting, QList<int>{1}); // kept while reconnecting
    QCOMPARE(root->store(), store); // same objects, state swapped in
    QCOMPARE(store->value(u"generation"_s).toInt(), serverChanged ? 2 : 1);
    QCOMPARE(changed.count(), serverChanged ? 1 : 0);
    QCOMPARE(status.count(), 2); // Reconnecting, Live
    QCOMPARE(root->version(), 1);

    // A round trip on every channel, then count: each root was mounted exactly once.
    auto a = root->dispatch({}, u"echo"_s);
    auto b = other->dispatch({}, u"echo"_s);
    QVERIFY(finishes(a));
    QVERIFY(finishes(b));
    QCOMPARE(mounted.count(), 2);
    QStringList ids{mounted.at(0).at(0).toString(), mounted.at(1).at(0).toString()};
    ids.sort();
    QCOMPARE(ids, QStringList({u"Test.CounterStore:c1"_s, u"Test.CounterStore:c2"_s}));
    QCOMPARE(m_mounts.value(u"Test.CounterStore:c1"_s), 2);
}

void tst_Runtime::refusedMount_data()
{
    addProtocolColumns();
    QTest::addColumn<QString>("module");
    QTest::addColumn<QVariantMap>("params");
    QTest::addColumn<QString>("message");
    addProtocolRows("refused by factory", Counter, QVariantMap{{u"refuse"_s, u"forbidden"_s}},
                    u"Root mount failed: forbidden"_s);
    addProtocolRows("unknown root", u"Nope.Store"_s, QVariantMap(),
                    u"Root mount failed: unknown root"_s);
}

void tst_Runtime::refusedMount()
{
    QFETCH(QString, module);
    QFETCH(QVariantMap, params);
    QFETCH(QString, message);
    start();
    MusubiRoot root(m_connection.get(), module, u"r1"_s, params);
    QSignalSpy errors(&root, &MusubiRoot::errorOccurred);
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorString(), message);
    QCOMPARE(errors.count(), 1);
    QCOMPARE(errors.at(0).at(0).toString(), message);
    QCOMPARE(root.store(), nullptr);
    if (perRoot()) {
        // Left, so that nothing rejoins it.
        const QString topic = u"musubi:connection:"_s + module + u":r1"_s;
        for (PhoenixChannel *channel : m_connection->socket()->channels())
            QVERIFY(channel->topic() != topic);
    }
    // Another root on the same connection is not affected.
    auto ok = makeRoot();
    QVERIFY(mountLive(ok.get()));
    QCOMPARE(root.status(), MusubiRoot::Status::Failed);
}

void tst_Runtime::autoFallsBackToPerRoot()
{
    m_server->setProfile(MusubiTestServer::Profile::PerRoot);
    QSignalSpy active(m_connection.get(), &MusubiConnection::activeProtocolChanged);
    m_connection->open();
    QCOMPARE(m_connection->activeProtocol(), MusubiConnection::Protocol::Auto);
    auto root = makeRoot();
    auto second = makeRoot(u"c2"_s);
    root->mount();
    second->mount();
    QVERIFY(waitLive(root.get()));
    QVERIFY(waitLive(second.get()));
    QCOMPARE(m_connection->activeProtocol(), MusubiConnection::Protocol::PerRootChannel);
    QCOMPARE(active.count(), 1);
    QVERIFY(m_server->joinedTopics().contains(u"musubi:connection:Test.CounterStore:c1"_s));
    QVERIFY(!m_server->joinedTopics().contains(u"musubi:connection"_s));
    QCOMPARE(m_connection->errorString(), QString());
    auto reply = root->dispatch({}, u"increment"_s);
    QVERIFY(finishes(reply));
    QVERIFY(!commandError(reply));
}

void tst_Runtime::autoStaysShared()
{
    m_server->setProfile(MusubiTestServer::Profile::Shared);
    m_connection->open();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QCOMPARE(m_connection->activeProtocol(), MusubiConnection::Protocol::SharedChannel);
    QCOMPARE(m_server->joinedTopics(), QStringList{u"musubi:connection"_s});
}

void tst_Runtime::joinRefusedEverywhere_data()
{
    QTest::addColumn<MusubiConnection::Protocol>("protocol");
    QTest::addColumn<QString>("rootMessage");
    QTest::addColumn<QString>("connectionMessage");
    QTest::newRow("shared") << MusubiConnection::Protocol::SharedChannel
                            << u"Connection join failed: unauthorized"_s
                            << u"Connection join failed: unauthorized"_s;
    QTest::newRow("per-root") << MusubiConnection::Protocol::PerRootChannel
                              << u"Root mount failed: unauthorized"_s << QString();
    QTest::newRow("auto") << MusubiConnection::Protocol::Auto
                          << u"Root mount failed: unauthorized"_s << QString();
}

void tst_Runtime::joinRefusedEverywhere()
{
    QFETCH(MusubiConnection::Protocol, protocol);
    QFETCH(QString, rootMessage);
    QFETCH(QString, connectionMessage);
    m_server->setJoinAuthenticator(
            [](const QString &, const QJsonObject &, const QVariantMap &) { return false; });
    m_connection->setProtocol(protocol);
    m_connection->open();
    auto root = makeRoot();
    root->mount();
    // Never a hang: a refusal is an error with the server's reason.
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Failed);
    QCOMPARE(root->errorString(), rootMessage);
    QCOMPARE(m_connection->errorString(), connectionMessage);
}

void tst_Runtime::subclassHooks()
{
    start();
    CounterRoot root(m_connection.get(), Counter, u"c1"_s);
    QSignalSpy count(&root, &CounterRoot::countChanged);
    root.mount();
    QVERIFY(waitLive(&root));
    QCOMPARE(root.count(), 0);
    QCOMPARE(count.count(), 1);
    QCOMPARE(root.statuses,
             QList<MusubiRoot::Status>({MusubiRoot::Status::Connecting, MusubiRoot::Status::Live}));
    auto reply = root.dispatch({}, u"increment"_s);
    QVERIFY(finishes(reply));
    QTRY_COMPARE(root.count(), 1);
    QCOMPARE(count.count(), 2);
    QCOMPARE(root.property("count").toInt(), 1);
}

void tst_Runtime::closeAndReopen()
{
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 4}});
    QVERIFY(mountLive(root.get()));
    QFuture<QJsonValue> pending;
    QVERIFY(dispatchWithheld(root.get(), &pending));
    m_connection->close();
    QVERIFY(finishes(pending));
    QCOMPARE(commandError(pending)->kind(), MusubiCommandError::Kind::Disconnected);
    QCOMPARE(m_connection->status(), MusubiConnection::Status::Closed);
    QCOMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 4); // kept
    QTRY_COMPARE(m_server->mountedRootCount(), 0);
    m_connection->open();
    QVERIFY(waitLive(root.get()));
    QCOMPARE(root->snapshot(), m_server->wireTree(root->rootId()));
    QFETCH(MusubiConnection::Protocol, active);
    QCOMPARE(m_connection->activeProtocol(), active);
}

void tst_Runtime::connectionDestroyedFirst()
{
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy store(root.get(), &MusubiRoot::storeChanged);
    m_server->withholdNextReply(u"command"_s);
    auto pending = root->dispatch({}, u"increment"_s);
    m_connection.reset();
    QVERIFY(pending.isFinished());
    QCOMPARE(commandError(pending)->kind(), MusubiCommandError::Kind::Disconnected);
    QCOMPARE(root->status(), MusubiRoot::Status::Unmounted);
    QCOMPARE(root->connection(), nullptr);
    QCOMPARE(root->store(), nullptr);
    QCOMPARE(store.count(), 1);
    QCOMPARE(status.count(), 1);
    auto after = root->dispatch({}, u"increment"_s);
    QCOMPARE(commandError(after)->kind(), MusubiCommandError::Kind::NotConnected);
    root->unmount(); // harmless
    root.reset();
    QTRY_COMPARE(m_server->mountedRootCount(), 0);
}

void tst_Runtime::mountNeedsIdentity()
{
    MusubiRoot root;
    QSignalSpy errors(&root, &MusubiRoot::errorOccurred);
    root.mount();
    QCOMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(errors.count(), 1);
    QVERIFY(!root.isMounted());
    root.setConnection(m_connection.get());
    root.setModule(Counter);
    root.setInstanceId(u"c1"_s);
    QCOMPARE(root.rootId(), u"Test.CounterStore:c1"_s);
    root.mount(); // opens the connection itself
    QVERIFY(waitLive(&root));
    QCOMPARE(root.errorString(), QString());
}

void tst_Runtime::uploaderRegistry()
{
    auto uploader = std::make_unique<QObject>();
    m_connection->registerUploader(u"s3"_s, uploader.get());
    QCOMPARE(m_connection->uploader(u"s3"_s), uploader.get());
    QCOMPARE(m_connection->uploader(u"gcs"_s), nullptr);
    uploader.reset(); // not owned: forgotten when destroyed
    QCOMPARE(m_connection->uploader(u"s3"_s), nullptr);
    auto other = std::make_unique<QObject>();
    m_connection->registerUploader(u"s3"_s, other.get());
    m_connection->unregisterUploader(u"s3"_s);
    QCOMPARE(m_connection->uploader(u"s3"_s), nullptr);
}

void tst_Runtime::serverEndsChannel_data()
{
    addProtocolColumns();
    QTest::addColumn<MusubiTestServer::ChannelEnd>("how");
    addProtocolRows("phx_error", MusubiTestServer::ChannelEnd::Error);
    addProtocolRows("phx_close", MusubiTestServer::ChannelEnd::Close);
}

void tst_Runtime::serverEndsChannel()
{
    QFETCH(MusubiTestServer::ChannelEnd, how);
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 6}});
    QVERIFY(mountLive(root.get()));
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    QSignalSpy mounted(m_server.get(), &MusubiTestServer::rootMounted);
    QVERIFY(m_server->closeChannel(rootTopic(root.get()), how));
    QTRY_COMPARE_WITH_TIMEOUT(status.count(), 2, 10000);
    QCOMPARE(status.at(0).at(0).value<MusubiRoot::Status>(), MusubiRoot::Status::Reconnecting);
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 6);
    auto reply = root->dispatch({}, u"echo"_s);
    QVERIFY(finishes(reply));
    QVERIFY(!commandError(reply));
    QCOMPARE(mounted.count(), 1);
}

void tst_Runtime::heartbeatTimeoutReconnects()
{
    m_connection->setHeartbeatInterval(100);
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 3}});
    QVERIFY(mountLive(root.get()));
    QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
    m_server->setAnswersHeartbeats(false);
    // A missed heartbeat means a dead socket: Reconnecting, state kept.
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QCOMPARE(root->store()->value(u"count"_s).toInt(), 3);
    QVERIFY(m_connection->status() != MusubiConnection::Status::Connected
            || root->status() == MusubiRoot::Status::Reconnecting);
    m_server->setAnswersHeartbeats(true);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(root->snapshot(), m_server->wireTree(root->rootId()));
    QCOMPARE(status.at(0).at(0).value<MusubiRoot::Status>(), MusubiRoot::Status::Reconnecting);
}

// ready: false until the first state, true through a reconnect, false after unmount.
void tst_Runtime::readyLifecycle()
{
    start();
    auto root = makeRoot(u"c1"_s, {{u"count"_s, 2}});
    QSignalSpy ready(root.get(), &MusubiRoot::readyChanged);
    QVERIFY(!root->isReady());
    root->mount();
    QVERIFY(!root->isReady());
    QVERIFY(waitLive(root.get()));
    QVERIFY(root->isReady());
    QCOMPARE(ready.count(), 1);
    QCOMPARE(root->property("ready").toBool(), true);

    m_server->dropConnections();
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Reconnecting);
    QVERIFY2(root->isReady(), "the last good state is still shown");
    QVERIFY(waitLive(root.get()));
    QVERIFY(root->isReady());
    QCOMPARE(ready.count(), 1);

    root->unmount();
    QVERIFY(!root->isReady());
    QCOMPARE(ready.count(), 2);

    // A second holder of a shown mount is ready at once.
    auto first = makeRoot(u"c2"_s);
    QVERIFY(mountLive(first.get()));
    auto second = makeRoot(u"c2"_s);
    QSignalSpy secondReady(second.get(), &MusubiRoot::readyChanged);
    second->mount();
    QVERIFY(second->isReady());
    QCOMPARE(secondReady.count(), 1);
}

void tst_Runtime::errorReplyProperty()
{
    start();
    MusubiRoot root(m_connection.get(), u"Nope.Store"_s, u"r1"_s);
    QSignalSpy changed(&root, &MusubiRoot::errorReplyChanged);
    QVERIFY(root.errorReply().isUndefined());
    root.mount();
    QTRY_COMPARE(root.status(), MusubiRoot::Status::Failed);
    QCOMPARE(root.errorReply().toObject().value(u"reason"_s).toString(), u"unknown root"_s);
    QCOMPARE(root.property("errorReply").value<QJsonValue>(), root.errorReply());
    QCOMPARE(changed.count(), 1);
    root.unmount();
    QVERIFY(root.errorReply().isUndefined());
    QCOMPARE(changed.count(), 2);
}

// A MusubiStoreRef appears with the initial patch and vanishes when a patch removes the child.
void tst_Runtime::storeRef()
{
    start();
    auto root = makeRoot();
    MusubiStoreRef panel(root.get(), QJsonArray{u"panel"_s});
    QSignalSpy exists(&panel, &MusubiStoreRef::existsChanged);
    QSignalSpy store(&panel, &MusubiStoreRef::storeChanged);
    QVERIFY(!panel.exists());
    QCOMPARE(panel.store(), nullptr);

    QVERIFY(mountLive(root.get()));
    QVERIFY(panel.exists());
    QCOMPARE(panel.store(), root->store(QJsonArray{u"panel"_s}));
    QCOMPARE(exists.count(), 1);
    QCOMPARE(store.count(), 1);

    QVERIFY(finishes(root->dispatch({}, u"showPanel"_s, {{u"show"_s, false}})));
    QTRY_VERIFY(!panel.exists());
    QCOMPARE(panel.store(), nullptr);
    QCOMPARE(exists.count(), 2);
    QCOMPARE(store.count(), 2);

    QVERIFY(finishes(root->dispatch({}, u"showPanel"_s, {{u"show"_s, true}})));
    QTRY_VERIFY(panel.exists());
    QCOMPARE(panel.store(), root->store(QJsonArray{u"panel"_s}));
    QCOMPARE(exists.count(), 3);

    root->unmount();
    QVERIFY(!panel.exists());
    QCOMPARE(panel.store(), nullptr);
    QCOMPARE(exists.count(), 4);
}

void tst_Runtime::storeRefFollowsRootAndId()
{
    start();
    auto first = makeRoot(u"c1"_s, {{u"count"_s, 1}});
    auto second = makeRoot(u"c2"_s, {{u"count"_s, 2}});
    QVERIFY(mountLive(first.get()));
    QVERIFY(mountLive(second.get()));

    MusubiStoreRef ref;
    QSignalSpy store(&ref, &MusubiStoreRef::storeChanged);
    QSignalSpy rootChanged(&ref, &MusubiStoreRef::rootChanged);
    QCOMPARE(ref.storeId(), QJsonArray());
    QVERIFY(!ref.exists());

    ref.setRoot(first.get());
    QCOMPARE(rootChanged.count(), 1);
    QVERIFY(ref.exists());
    QCOMPARE(ref.store(), first->store());
    QCOMPARE(ref.store()->value(u"count"_s).toInt(), 1);

    ref.setRoot(second.get());
    QCOMPARE(ref.store(), second->store());
    QCOMPARE(ref.store()->value(u"count"_s).toInt(), 2);
    QCOMPARE(store.count(), 2);

    ref.setStoreId(QJsonArray{u"nowhere"_s});
    QVERIFY(!ref.exists());
    QCOMPARE(store.count(), 3);
    ref.setStoreId(QJsonArray{u"panel"_s});
    QVERIFY(ref.exists());
    QCOMPARE(ref.store(), second->store(QJsonArray{u"panel"_s}));

    // The root goes away: so does the store.
    second.reset();
    QVERIFY(!ref.exists());
    QCOMPARE(ref.root(), nullptr);
    QCOMPARE(ref.store(), nullptr);
}

QTEST_GUILESS_MAIN(tst_Runtime)
#include "tst_runtime.moc"

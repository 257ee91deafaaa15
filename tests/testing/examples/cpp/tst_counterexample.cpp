// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// Example from docs/testing.md: testing a Qt app's Musubi code against
// MusubiTestServer with QtTest. The server runs in the test process; the
// client under test talks to it over a real loopback WebSocket.

#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <musubitestserver.h>

#include <QtTest/QtTest>

using namespace Qt::StringLiterals;

class tst_CounterExample : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // 1. Define the server-side store the app expects.
        server = std::make_unique<MusubiTestServer>();
        server->registerRoot(u"Demo.CounterStore"_s, [](const MusubiTestMount &mount, QString *) {
            auto *store = new MusubiTestStore;
            store->setState({{u"count"_s, mount.params.value(u"count"_s).toInt()}});
            store->onCommand(u"increment"_s, [store](const QJsonObject &payload) {
                const int count =
                        store->value(u"count"_s).toInt() + payload.value(u"amount"_s).toInt(1);
                store->setValue(u"count"_s, count);
                return MusubiTestReply::ok({{u"count"_s, count}});
            });
            return store;
        });
        QVERIFY(server->listen()); // 127.0.0.1, free port

        // 2. Point the client at it and mount.
        connection = std::make_unique<MusubiConnection>();
        connection->setUrl(server->url());
        root = std::make_unique<MusubiRoot>();
        root->setConnection(connection.get());
        root->setModule(u"Demo.CounterStore"_s);
        root->setInstanceId(u"main"_s);
        root->setParams({{u"count"_s, 5}});
        root->mount();
        QTRY_COMPARE(root->status(), MusubiRoot::Status::Live);
    }

    void cleanup()
    {
        root.reset();
        connection.reset();
        server.reset();
    }

    void initialState() { QCOMPARE(root->store()->value(u"count"_s).toInt(), 5); }

    void command()
    {
        QFuture<QJsonValue> reply = root->dispatch({}, u"increment"_s, {{u"amount"_s, 2}});
        QTRY_VERIFY(reply.isFinished());
        QCOMPARE(reply.result().toObject().value(u"count"_s).toInt(), 7);
        // The reply comes before its patch: wait for the state, not the reply.
        QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 7);
        QCOMPARE(server->mountedRoot(u"Demo.CounterStore:main"_s)->value(u"count"_s).toInt(), 7);
    }

    void serverPush()
    {
        server->mountedRoot(u"Demo.CounterStore:main"_s)->setValue(u"count"_s, 42);
        QTRY_COMPARE(root->store()->value(u"count"_s).toInt(), 42);
    }

    void survivesADrop()
    {
        QSignalSpy mounted(server.get(), &MusubiTestServer::rootMounted);
        server->dropConnections(); // fault injection: the socket dies
        QTRY_VERIFY(mounted.size() == 1); // the client reconnects and mounts again
        QTRY_COMPARE(root->status(), MusubiRoot::Status::Live);
        QCOMPARE(root->store()->value(u"count"_s).toInt(), 5); // fresh server-side mount
    }

private:
    std::unique_ptr<MusubiTestServer> server;
    std::unique_ptr<MusubiConnection> connection;
    std::unique_ptr<MusubiRoot> root;
};

QTEST_GUILESS_MAIN(tst_CounterExample)
#include "tst_counterexample.moc"

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// MusubiInspectorSession against a real connection to a MusubiTestServer on
// loopback: the connection and its roots, the three logs filled from the
// connection's trace, and the store tree of the selected root following the
// server's changes.

#include "../common/runtimefixture.h"

#include <musubiinspectorsession.h>
#include <musubistoretree.h>
#include <musubiteststore.h>
#include <musubitrace.h>

#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {
const QString Module = u"Test.Inspect"_s;
const QString RootKey = u"Test.Inspect:c1"_s;
} // namespace

class tst_InspectorSession : public MusubiTests::RuntimeFixture
{
    Q_OBJECT

public:
    tst_InspectorSession()
        : RuntimeFixture(5000)
    { }

private Q_SLOTS:
    void init();
    void cleanup();

    void listensOnlyWhileASessionExists();
    void connectionAndRoots();
    void commandLatency();
    void commandError();
    void events();
    void envelopes();
    void refusedEnvelope();
    void storeTreeFollowsTheServer();
    void connectionGoesAway();

private:
    std::unique_ptr<MusubiRoot> mountRoot();

    MusubiTestStore *m_store = nullptr;
};

void tst_InspectorSession::init()
{
    m_store = nullptr;
    QVERIFY(setUpServer(Module, [this](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, 1}, {u"label"_s, u"hello"_s}});
        auto *cart = store->addChild({u"cart"_s}, new MusubiTestStore);
        cart->setState({{u"total"_s, 0}});
        store->setRenderer([](const MusubiTestStore *s) {
            QJsonObject out = s->state();
            out.insert(u"cart"_s, s->childSlot({u"cart"_s}));
            return out;
        });
        store->onCommand(u"increment"_s, [store](const QJsonObject &payload) {
            const int count = store->value(u"count"_s).toInt() + payload.value(u"by"_s).toInt(1);
            store->setValue(u"count"_s, count);
            return MusubiTestReply::ok({{u"count"_s, count}});
        });
        store->onCommand(u"fail"_s, [](const QJsonObject &payload) {
            return MusubiTestReply::errorResponse(payload);
        });
        store->onCommand(u"toast"_s, [store](const QJsonObject &payload) {
            store->pushEvent(u"toast"_s, payload);
            return MusubiTestReply::ok();
        });
        m_store = store;
        return store;
    }));
    m_connection->open();
}

void tst_InspectorSession::cleanup()
{
    tearDown();
}

std::unique_ptr<MusubiRoot> tst_InspectorSession::mountRoot()
{
    auto root = std::make_unique<MusubiRoot>(m_connection.get(), Module, u"c1"_s, QVariantMap());
    if (!mountLive(root.get()))
        return nullptr;
    return root;
}

void tst_InspectorSession::listensOnlyWhileASessionExists()
{
    MusubiTrace *trace = m_connection->trace();
    QVERIFY(!trace->isListening());
    {
        MusubiInspectorSession session;
        session.setConnection(m_connection.get());
        QVERIFY(trace->isListening());
        session.setConnection(nullptr);
        QVERIFY(!trace->isListening());
        session.setConnection(m_connection.get());
        QVERIFY(trace->isListening());
    }
    QVERIFY(!trace->isListening());
}

void tst_InspectorSession::connectionAndRoots()
{
    MusubiInspectorSession session;
    QSignalSpy state(&session, &MusubiInspectorSession::connectionStateChanged);
    session.setConnection(m_connection.get());
    QCOMPARE(session.connection(), m_connection.get());
    QTRY_COMPARE(session.connectionState().value(u"status"_s).toString(), u"connected"_s);
    QCOMPARE(session.connectionState().value(u"url"_s).toString(),
             m_server->url().toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery));
    QVERIFY(!session.connectionState().value(u"active_protocol"_s).toString().isEmpty());
    QCOMPARE(session.roots()->count(), 0);
    auto root = mountRoot();
    QVERIFY(root);
    QTRY_COMPARE(session.roots()->count(), 1);
    // The protocol in use is known once the first mount joined.
    QTRY_COMPARE(session.connectionState().value(u"active_protocol"_s).toString(),
                 u"shared_channel"_s);
    const QJsonObject row = session.roots()->rootAt(0);
    QCOMPARE(row.value(u"root"_s).toString(), RootKey);
    QTRY_COMPARE(session.roots()->rootAt(0).value(u"phase"_s).toString(), u"live"_s);
    QCOMPARE(session.roots()->rootAt(0).value(u"version"_s).toInt(), root->version());
    // A late session reads the roots already mounted.
    MusubiInspectorSession late;
    late.setConnection(m_connection.get());
    QCOMPARE(late.roots()->count(), 1);
    QCOMPARE(late.connectionState().value(u"status"_s).toString(), u"connected"_s);
    root->unmount();
    QTRY_COMPARE(session.roots()->count(), 0);
}

void tst_InspectorSession::commandLatency()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    auto root = mountRoot();
    QVERIFY(root);
    QSignalSpy rows(session.commands(), &QAbstractItemModel::rowsInserted);
    const QFuture<QJsonValue> reply = root->dispatch(QJsonArray(), u"increment"_s, {{u"by"_s, 2}});
    QVERIFY(finishes(reply));
    QTRY_COMPARE(session.commands()->count(), 1);
    const QJsonObject record = session.commands()->recordAt(0);
    QCOMPARE(record.value(u"name"_s).toString(), u"increment"_s);
    QCOMPARE(record.value(u"outcome"_s).toString(), u"ok"_s);
    QCOMPARE(record.value(u"root"_s).toString(), RootKey);
    QVERIFY(record.value(u"latency_us"_s).toDouble() > 0);
    const QModelIndex index = session.commands()->index(0);
    QVERIFY(index.data(MusubiInspectorLogModel::LatencyMsRole).toDouble() > 0);
    QVERIFY(index.data(MusubiInspectorLogModel::SummaryRole).toString().endsWith(u" ms"_s));
    QCOMPARE(index.data(MusubiInspectorLogModel::OutcomeRole).toString(), u"ok"_s);
    QCOMPARE(rows.size(), 1);
}

void tst_InspectorSession::commandError()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    auto root = mountRoot();
    QVERIFY(root);
    QVERIFY(finishes(root->dispatch(QJsonArray(), u"fail"_s, {{u"why"_s, u"no"_s}})));
    QTRY_COMPARE(session.commands()->count(), 1);
    const QModelIndex index = session.commands()->index(0);
    QCOMPARE(index.data(MusubiInspectorLogModel::OutcomeRole).toString(),
             session.commands()->recordAt(0).value(u"error"_s).toString());
    QVERIFY(!index.data(MusubiInspectorLogModel::OutcomeRole).toString().isEmpty());
    QVERIFY(index.data(MusubiInspectorLogModel::OutcomeRole).toString() != u"ok"_s);
}

void tst_InspectorSession::events()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    auto root = mountRoot();
    QVERIFY(root);
    QVERIFY(finishes(root->dispatch(QJsonArray(), u"toast"_s, {{u"msg"_s, u"hi"_s}})));
    QTRY_COMPARE(session.events()->count(), 1);
    const QModelIndex index = session.events()->index(0);
    QCOMPARE(index.data(MusubiInspectorLogModel::NameRole).toString(), u"toast"_s);
    QCOMPARE(index.data(MusubiInspectorLogModel::SummaryRole).toString(),
             u"[] toast  {\"msg\":\"hi\"}"_s);
    QCOMPARE(index.data(MusubiInspectorLogModel::RootRole).toString(), RootKey);
}

void tst_InspectorSession::envelopes()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    auto root = mountRoot();
    QVERIFY(root);
    QTRY_VERIFY(session.envelopes()->count() >= 1);
    const int before = session.envelopes()->count();
    QVERIFY(session.envelopes()->recordAt(0).value(u"accepted"_s).toBool());
    m_store->setValue(u"count"_s, 42);
    QTRY_COMPARE(session.envelopes()->count(), before + 1);
    const QJsonObject record = session.envelopes()->recordAt(before);
    QVERIFY(record.value(u"accepted"_s).toBool());
    QCOMPARE(record.value(u"version"_s).toInt(), root->version());
    QCOMPARE(record.value(u"changed"_s).toArray(), QJsonArray{QJsonArray()});
    // The roots list follows the version.
    QTRY_COMPARE(session.roots()->rootAt(0).value(u"version"_s).toInt(), root->version());
}

void tst_InspectorSession::refusedEnvelope()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    auto root = mountRoot();
    QVERIFY(root);
    session.envelopes()->setRefusedOnly(true);
    QCOMPARE(session.envelopes()->count(), 0);
    // A version gap: base_version is far ahead of the root's version.
    QJsonObject gapped = MusubiTests::patchEnvelope(root->rootId(),
                                                    QJsonArray{QJsonObject{{u"op"_s, u"replace"_s},
                                                                           {u"path"_s, u"/count"_s},
                                                                           {u"value"_s, 9}}});
    gapped.insert(u"base_version"_s, 40);
    gapped.insert(u"version"_s, 41);
    QVERIFY(m_server->sendEnvelope(root->rootId(), gapped));
    QTRY_COMPARE(session.envelopes()->count(), 1);
    const QModelIndex index = session.envelopes()->index(0);
    QVERIFY(index.data(MusubiInspectorLogModel::RefusedRole).toBool());
    QVERIFY(index.data(MusubiInspectorLogModel::SummaryRole).toString().contains(u"refused: "_s));
    QVERIFY(!session.envelopes()->recordAt(0).value(u"reason"_s).toString().isEmpty());
    // The root recovers; the log keeps the refusal.
    QVERIFY(waitLive(root.get()));
    QCOMPARE(session.envelopes()->count(), 1);
}

void tst_InspectorSession::storeTreeFollowsTheServer()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    auto root = mountRoot();
    QVERIFY(root);
    MusubiInspectorStoreModel *model = session.storeModel();
    QCOMPARE(model->tree(), nullptr);
    session.setSelectedRoot(RootKey);
    QCOMPARE(session.selectedRoot(), RootKey);
    QCOMPARE(model->tree(), m_connection->trace()->storeTree(RootKey));
    QVERIFY(model->tree());
    const QModelIndex count = model->find({u"count"_s});
    QCOMPARE(count.data(MusubiInspectorStoreModel::ValueRole).toString(), u"1"_s);
    const QModelIndex total = model->find({u"cart"_s, u"total"_s});
    QCOMPARE(total.data(MusubiInspectorStoreModel::ValueRole).toString(), u"0"_s);
    QSignalSpy changed(model, &QAbstractItemModel::dataChanged);
    QSignalSpy reset(model, &QAbstractItemModel::modelReset);
    m_store->setValue(u"count"_s, 5);
    QVERIFY(changed.wait());
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), count);
    QCOMPARE(count.data(MusubiInspectorStoreModel::ValueRole).toString(), u"5"_s);
    QVERIFY(count.data(MusubiInspectorStoreModel::ChangedAtRole).toLongLong() > 0);
    changed.clear();
    m_store->childStore({u"cart"_s})->setValue(u"total"_s, 12);
    QVERIFY(changed.wait());
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), total);
    QCOMPARE(total.data(MusubiInspectorStoreModel::ValueRole).toString(), u"12"_s);
    QCOMPARE(reset.size(), 0);
    session.setSelectedRoot(QString());
    QCOMPARE(model->tree(), nullptr);
}

void tst_InspectorSession::connectionGoesAway()
{
    MusubiInspectorSession session;
    session.setConnection(m_connection.get());
    QSignalSpy changed(&session, &MusubiInspectorSession::connectionChanged);
    m_connection.reset();
    QCOMPARE(session.connection(), nullptr);
    QCOMPARE(changed.size(), 1);
    QVERIFY(session.connectionState().isEmpty());
}

QTEST_MAIN(tst_InspectorSession)
#include "tst_inspectorsession.moc"

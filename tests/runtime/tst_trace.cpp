// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The trace seam (MusubiTrace): the exact records a connection reports for
// mounts, envelopes (accepted and refused), commands (ok, failed, timed out,
// cut off), events, reconnects and cache lookups, over both wire profiles and
// a real loopback WebSocket; and that nothing is reported without a listener.

#include "../common/runtimefixture.h"

#include <musubicache.h>
#include <musubistore.h>
#include <musubistoretree.h>
#include <musubiteststore.h>
#include <musubitrace.h>

#include <QtCore/QJsonDocument>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using MusubiTests::addExplicitProtocols;
using MusubiTests::addProtocolColumns;
using MusubiTests::addProtocolRows;

namespace {

const QString Counter = u"Test.CounterStore"_s;
const QString Root = u"Test.CounterStore:c1"_s;

enum class Scenario {
    Mount,
    CommandOk,
    CommandFailed,
    CommandTimeout,
    CommandCutOff,
    CommandNotConnected,
    Event,
    VersionGap,
    BadPatch,
    NotAnEnvelope,
    Reconnect,
    CacheHit,
    Unmount,
};

// A record as compared: \c at dropped, measured figures checked and replaced by a marker.
QJsonObject normalized(QJsonObject record, QString *problem)
{
    if (!record.value("at"_L1).isDouble() || record.value("at"_L1).toDouble() <= 0)
        *problem = u"no \"at\" in "_s
                + QString::fromUtf8(QJsonDocument(record).toJson(QJsonDocument::Compact));
    record.remove(u"at"_s);
    for (const auto key : {"apply_us"_L1, "latency_us"_L1, "age_ms"_L1}) {
        if (!record.contains(key))
            continue;
        const QJsonValue value = record.value(key);
        if (!value.isDouble() || value.toDouble() < 0
            || value.toDouble() != qint64(value.toDouble()))
            *problem = key + u" is not a non-negative integer"_s;
        record.insert(key, u"#"_s);
    }
    if (record.contains("bytes"_L1)) {
        if (record.value("bytes"_L1).toDouble() <= 0)
            *problem = u"bytes is not positive"_s;
        record.insert(u"bytes"_s, u"#"_s);
    }
    return record;
}

QJsonObject rec(const char *kind, QJsonObject fields)
{
    fields.insert(u"kind"_s, QLatin1String(kind));
    return fields;
}

QJsonObject phase(const char *to, const QJsonValue &from, int version, const QString &reason = {})
{
    // The status each phase shows (a torn-down mount has no holder left).
    static const QHash<QString, QString> statusOf{
            {u"mounting"_s, u"connecting"_s},    {u"live"_s, u"live"_s},
            {u"rejoining"_s, u"reconnecting"_s}, {u"recovering"_s, u"reconnecting"_s},
            {u"failed"_s, u"failed"_s},          {u"torn_down"_s, u"unmounted"_s}};
    QJsonObject record{{u"root"_s, Root},
                       {u"phase"_s, QLatin1String(to)},
                       {u"old"_s, from},
                       {u"status"_s, statusOf.value(QLatin1String(to))},
                       {u"version"_s, version}};
    if (!reason.isEmpty())
        record.insert(u"reason"_s, reason);
    return rec("phase", record);
}

QJsonObject accepted(int base, int version, bool initial, int ops, const QJsonArray &changed,
                     int events = 0)
{
    return rec("envelope",
               {{u"root"_s, Root},
                {u"accepted"_s, true},
                {u"initial"_s, initial},
                {u"base_version"_s, base},
                {u"version"_s, version},
                {u"ops"_s, ops},
                {u"stream_ops"_s, 0},
                {u"upload_ops"_s, 0},
                {u"events"_s, events},
                {u"bytes"_s, u"#"_s},
                {u"apply_us"_s, u"#"_s},
                {u"changed"_s, changed}});
}

QJsonObject refused(int base, int version, int ops, const QString &reason)
{
    return rec("envelope",
               {{u"root"_s, Root},
                {u"accepted"_s, false},
                {u"base_version"_s, base},
                {u"version"_s, version},
                {u"ops"_s, ops},
                {u"stream_ops"_s, 0},
                {u"upload_ops"_s, 0},
                {u"events"_s, 0},
                {u"bytes"_s, u"#"_s},
                {u"reason"_s, reason}});
}

QJsonObject command(const QString &name, const QJsonObject &payload, const QString &error,
                    const QJsonValue &reply, bool sent)
{
    QJsonObject record{{u"root"_s, Root},
                       {u"store_id"_s, QJsonArray()},
                       {u"name"_s, name},
                       {u"payload"_s, payload},
                       {u"outcome"_s, error.isEmpty() ? u"ok"_s : u"error"_s},
                       {u"sent"_s, sent}};
    if (!error.isEmpty())
        record.insert(u"error"_s, error);
    if (!reply.isUndefined())
        record.insert(u"reply"_s, reply);
    if (sent)
        record.insert(u"latency_us"_s, u"#"_s);
    return rec("command", record);
}

const QJsonArray RootAndPanel{QJsonArray(), QJsonArray{u"panel"_s}};
const QJsonArray OnlyRoot{QJsonValue(QJsonArray())};

} // namespace

class tst_Trace : public MusubiTests::RuntimeFixture
{
    Q_OBJECT

public:
    tst_Trace()
        : RuntimeFixture(5000)
    { }

private Q_SLOTS:
    void init();
    void cleanup();

    void records_data();
    void records();
    void connectionStatus_data();
    void connectionStatus();
    void listening();
    void snapshot_data();
    void snapshot();

private:
    QJsonArray recorded() const;

    QList<QJsonObject> m_records;
    QString m_problem;
};

void tst_Trace::init()
{
    m_records.clear();
    m_problem.clear();
    QVERIFY(setUpServer(Counter, [](const MusubiTestMount &mount, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, mount.params.value(u"count"_s).toInt()}});
        auto *panel = store->addChild({u"panel"_s}, new MusubiTestStore);
        panel->setState({{u"open"_s, false}});
        store->setRenderer([](const MusubiTestStore *s) {
            QJsonObject out = s->state();
            out.insert(u"panel"_s, s->childSlot({u"panel"_s}));
            return out;
        });
        store->onCommand(u"increment"_s, [store](const QJsonObject &) {
            store->setValue(u"count"_s, store->value(u"count"_s).toInt() + 1);
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
    connect(m_connection->trace(), &MusubiTrace::recorded, this,
            [this](const QJsonObject &record) { m_records.append(record); });
}

void tst_Trace::cleanup()
{
    tearDown();
}

QJsonArray tst_Trace::recorded() const
{
    QJsonArray out;
    QString problem;
    for (const QJsonObject &record : m_records) {
        // Connection edges have their own test; they interleave with reconnects here.
        if (record.value("kind"_L1) == "status"_L1)
            continue;
        out.append(normalized(record, &problem));
    }
    if (!problem.isEmpty())
        qWarning("%s", qPrintable(problem));
    return problem.isEmpty() ? out : QJsonArray{problem};
}

void tst_Trace::records_data()
{
    addProtocolColumns();
    QTest::addColumn<Scenario>("scenario");
    QTest::addColumn<QJsonArray>("expected");

    // Every scenario starts with a live root at count 0 and its records cleared.
    addProtocolRows("mount", Scenario::Mount,
                    QJsonArray{phase("mounting", QJsonValue::Null, 0),
                               accepted(0, 1, true, 1, RootAndPanel),
                               phase("live", u"mounting"_s, 1)});
    addProtocolRows(
            "command ok", Scenario::CommandOk,
            QJsonArray{command(u"echo"_s, {{u"a"_s, 1}}, {}, QJsonObject{{u"a"_s, 1}}, true)});
    addProtocolRows("command failed", Scenario::CommandFailed,
                    QJsonArray{command(u"fail"_s, {{u"code"_s, u"nope"_s}}, u"failed"_s,
                                       QJsonObject{{u"code"_s, u"nope"_s}}, true)});
    addProtocolRows(
            "command timed out", Scenario::CommandTimeout,
            // The server ran it (its patch came) but never replied.
            QJsonArray{accepted(1, 2, false, 1, OnlyRoot),
                       command(u"increment"_s, {}, u"timeout"_s, QJsonValue::Undefined, true)});
    addProtocolRows(
            "command cut off", Scenario::CommandCutOff,
            // It ran (its patch came); the fresh server root is back at count 0.
            QJsonArray{accepted(1, 2, false, 1, OnlyRoot),
                       command(u"increment"_s, {}, u"disconnected"_s, QJsonValue::Undefined, true),
                       phase("rejoining", u"live"_s, 0), accepted(0, 1, true, 1, OnlyRoot),
                       phase("live", u"rejoining"_s, 1)});
    addProtocolRows("command not connected", Scenario::CommandNotConnected,
                    QJsonArray{phase("rejoining", u"live"_s, 0),
                               command(u"increment"_s, {}, u"not_connected"_s,
                                       QJsonValue::Undefined, false)});
    addProtocolRows("event", Scenario::Event,
                    QJsonArray{command(u"notify"_s, {}, {}, QJsonObject(), true),
                               accepted(1, 2, false, 1, OnlyRoot, 1),
                               rec("event",
                                   {{u"root"_s, Root},
                                    {u"store_id"_s, QJsonArray()},
                                    {u"name"_s, u"toast"_s},
                                    {u"payload"_s, QJsonObject{{u"count"_s, 1}}}})});
    const QString gap = u"version gap: at 1, received 2 -> 3"_s;
    addProtocolRows("version gap", Scenario::VersionGap,
                    QJsonArray{command(u"increment"_s, {}, {}, QJsonObject(), true),
                               refused(2, 3, 1, gap), phase("recovering", u"live"_s, 0, gap),
                               accepted(0, 1, true, 1, {}), phase("live", u"recovering"_s, 1)});
    const QString rejected =
            u"Patch rejected: ops[0] \"/missing/deep\": member \"missing\" does not exist"_s;
    addProtocolRows("bad patch", Scenario::BadPatch,
                    QJsonArray{refused(1, 2, 1, rejected),
                               phase("recovering", u"live"_s, 0, rejected),
                               accepted(0, 1, true, 1, {}), phase("live", u"recovering"_s, 1)});
    addProtocolRows("not an envelope", Scenario::NotAnEnvelope,
                    QJsonArray{rec("envelope",
                                   {{u"root"_s, Root},
                                    {u"accepted"_s, false},
                                    {u"base_version"_s, 1},
                                    {u"version"_s, 2},
                                    {u"ops"_s, 0},
                                    {u"stream_ops"_s, 0},
                                    {u"upload_ops"_s, 0},
                                    {u"events"_s, 0},
                                    {u"bytes"_s, u"#"_s},
                                    {u"reason"_s, u"not an envelope: type is not \"patch\""_s}}),
                               command(u"increment"_s, {}, {}, QJsonObject(), true),
                               accepted(1, 2, false, 1, OnlyRoot)});
    addProtocolRows("reconnect", Scenario::Reconnect,
                    QJsonArray{phase("rejoining", u"live"_s, 0), accepted(0, 1, true, 1, {}),
                               phase("live", u"rejoining"_s, 1)});
    addProtocolRows("cache hit", Scenario::CacheHit,
                    QJsonArray{phase("mounting", QJsonValue::Null, 0),
                               rec("cache",
                                   {{u"root"_s, Root},
                                    {u"result"_s, u"hit"_s},
                                    {u"key"_s, u"c1|Test.CounterStore|null"_s},
                                    {u"age_ms"_s, u"#"_s}}),
                               accepted(0, 1, true, 1, {}), phase("live", u"mounting"_s, 1),
                               rec("cache",
                                   {{u"root"_s, Root},
                                    {u"result"_s, u"revalidated"_s},
                                    {u"key"_s, u"c1|Test.CounterStore|null"_s}})});
    addProtocolRows("unmount", Scenario::Unmount, QJsonArray{phase("torn_down", u"live"_s, 1)});
}

void tst_Trace::records()
{
    QFETCH(Scenario, scenario);
    QFETCH(QJsonArray, expected);
    if (scenario == Scenario::CommandTimeout)
        m_connection->setPushTimeout(500);
    if (scenario == Scenario::CacheHit)
        m_connection->cache()->setEnabled(true);
    start();
    auto root = std::make_unique<MusubiRoot>(m_connection.get(), Counter, u"c1"_s);
    if (scenario != Scenario::Mount) {
        QVERIFY(mountLive(root.get()));
        m_records.clear();
    }
    switch (scenario) {
    case Scenario::Mount:
        QVERIFY(mountLive(root.get()));
        break;
    case Scenario::CommandOk:
        QVERIFY(finishes(root->dispatch({}, u"echo"_s, {{u"a"_s, 1}})));
        break;
    case Scenario::CommandFailed:
        QVERIFY(finishes(root->dispatch({}, u"fail"_s, {{u"code"_s, u"nope"_s}})));
        break;
    case Scenario::CommandTimeout: {
        m_server->withholdNextReply(u"command"_s);
        QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
        QTRY_COMPARE(root->version(), 2);
        break;
    }
    case Scenario::CommandCutOff: {
        QFuture<QJsonValue> pending;
        QVERIFY(dispatchWithheld(root.get(), &pending));
        m_server->dropConnections();
        QVERIFY(finishes(pending));
        QVERIFY(waitLive(root.get()));
        break;
    }
    case Scenario::CommandNotConnected:
        m_connection->close();
        QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
        break;
    case Scenario::Event:
        QVERIFY(finishes(root->dispatch({}, u"notify"_s)));
        QTRY_COMPARE(m_records.size(), 3);
        break;
    case Scenario::VersionGap: {
        QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
        m_server->skipNextVersion();
        root->dispatch({}, u"increment"_s);
        QVERIFY(status.wait());
        QVERIFY(waitLive(root.get()));
        break;
    }
    case Scenario::BadPatch: {
        QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
        QVERIFY(m_server->sendEnvelope(
                Root,
                MusubiTests::patchEnvelope(Root,
                                           {QJsonObject{{u"op"_s, u"replace"_s},
                                                        {u"path"_s, u"/missing/deep"_s},
                                                        {u"value"_s, 1}}})));
        QVERIFY(status.wait());
        QVERIFY(waitLive(root.get()));
        break;
    }
    case Scenario::NotAnEnvelope:
        QVERIFY(m_server->sendEnvelope(Root,
                                       {{u"type"_s, u"patched"_s},
                                        {u"root_id"_s, Root},
                                        {u"base_version"_s, 1},
                                        {u"version"_s, 2},
                                        {u"ops"_s, QJsonArray()},
                                        {u"stream_ops"_s, QJsonArray()}}));
        root->dispatch({}, u"increment"_s);
        QTRY_COMPARE(root->version(), 2);
        break;
    case Scenario::Reconnect: {
        QSignalSpy status(root.get(), &MusubiRoot::statusChanged);
        m_server->dropConnections();
        QVERIFY(status.wait());
        QVERIFY(waitLive(root.get()));
        break;
    }
    case Scenario::CacheHit: {
        m_connection->cache()->flush();
        root.reset();
        // The mount goes after its grace period; the trace says when.
        QTRY_VERIFY(!m_records.isEmpty() && m_records.last().value("phase"_L1) == "torn_down"_L1);
        m_records.clear();
        root = std::make_unique<MusubiRoot>(m_connection.get(), Counter, u"c1"_s);
        QVERIFY(mountLive(root.get()));
        QTRY_COMPARE(m_records.size(), 5);
        break;
    }
    case Scenario::Unmount:
        root.reset();
        QTRY_VERIFY(!m_records.isEmpty());
        break;
    }
    QCOMPARE(recorded(), expected);
}

void tst_Trace::connectionStatus_data()
{
    addExplicitProtocols();
}

void tst_Trace::connectionStatus()
{
    start();
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    m_server->dropConnections();
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Reconnecting);
    QTRY_COMPARE(m_connection->status(), MusubiConnection::Status::Connected);
    m_connection->close();
    QJsonArray edges;
    QString problem;
    for (const QJsonObject &record : std::as_const(m_records)) {
        if (record.value("kind"_L1) != "status"_L1)
            continue;
        QJsonObject edge = normalized(record, &problem);
        edge.remove(u"error"_s); // the socket's own wording
        edges.append(edge);
    }
    QCOMPARE(problem, QString());
    const QString protocol = perRoot() ? u"per_root_channel"_s : u"shared_channel"_s;
    auto edge = [](const char *to, const char *from, const QString &protocol) {
        return QJsonObject{{u"kind"_s, u"status"_s},
                           {u"status"_s, QLatin1String(to)},
                           {u"old"_s, QLatin1String(from)},
                           {u"protocol"_s, protocol}};
    };
    QCOMPARE(edges,
             (QJsonArray{edge("connecting", "closed", u"auto"_s),
                         edge("connected", "connecting", protocol),
                         edge("reconnecting", "connected", protocol),
                         edge("connected", "reconnecting", protocol),
                         edge("closed", "connected", protocol)}));
}

void tst_Trace::listening()
{
    MusubiConnection connection;
    MusubiTrace *trace = connection.trace();
    QVERIFY(trace);
    QCOMPARE(trace->connection(), &connection);
    QVERIFY(!trace->isListening());
    {
        QSignalSpy spy(trace, &MusubiTrace::recorded);
        QVERIFY(trace->isListening());
    }
    QVERIFY(!trace->isListening());
    const auto handle = connect(trace, &MusubiTrace::recorded, this, [](const QJsonObject &) {});
    QVERIFY(trace->isListening());
    disconnect(handle);
    QVERIFY(!trace->isListening());
    // The fixture's connection has a listener; a root's records need one.
    QVERIFY(m_connection->trace()->isListening());
    QVERIFY(trace->roots().isEmpty());
    QCOMPARE(trace->storeTree(Root), nullptr);
}

void tst_Trace::snapshot_data()
{
    addExplicitProtocols();
}

void tst_Trace::snapshot()
{
    start();
    auto root = std::make_unique<MusubiRoot>(m_connection.get(), Counter, u"c1"_s,
                                             QVariantMap{{u"count"_s, 3}});
    QVERIFY(mountLive(root.get()));
    MusubiTrace *trace = m_connection->trace();
    const QJsonArray roots = trace->roots();
    QCOMPARE(roots.size(), 1);
    QCOMPARE(roots.at(0).toObject(),
             (QJsonObject{{u"root"_s, Root},
                          {u"module"_s, Counter},
                          {u"id"_s, u"c1"_s},
                          {u"params"_s, QJsonObject{{u"count"_s, 3}}},
                          {u"phase"_s, u"live"_s},
                          {u"status"_s, u"live"_s},
                          {u"version"_s, 1},
                          {u"from_cache"_s, false},
                          {u"fetching"_s, false},
                          {u"holders"_s, 1},
                          {u"error"_s, QString()}}));
    const QJsonObject state = trace->connectionState();
    QCOMPARE(state.value("status"_L1).toString(), u"connected"_s);
    QCOMPARE(state.value("url"_L1).toString(), m_server->url().toString());
    QCOMPARE(state.value("active_protocol"_L1).toString(),
             perRoot() ? u"per_root_channel"_s : u"shared_channel"_s);
    MusubiStoreTree *tree = trace->storeTree(Root);
    QVERIFY(tree);
    QCOMPARE(tree->resolvedState().toObject().value("count"_L1).toInt(), 3);
    QCOMPARE(trace->storeTree(u"Test.CounterStore:other"_s), nullptr);
}

QTEST_MAIN(tst_Trace)
#include "tst_trace.moc"

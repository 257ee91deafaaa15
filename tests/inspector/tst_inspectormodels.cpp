// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// The inspector's models on their own: the ring-buffer logs fed records, the
// roots list, and the lazy store tree model over a MusubiStoreTree fed
// envelopes (what a root's tree gets from the server).

#include "../musubi/testutil.h"

#include <musubiinspectorlogmodel.h>
#include <musubiinspectorrootsmodel.h>
#include <musubiinspectorstoremodel.h>
#include <musubistoretree.h>
#include <musubiupload.h>

#include <QtCore/QElapsedTimer>
#include <QtCore/QTemporaryFile>
#include <QtGui/QClipboard>
#include <QtGui/QGuiApplication>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;

namespace {

QJsonObject envelopeRecord(int version, bool accepted, const QString &root = u"Test.Counter:c1"_s)
{
    QJsonObject record{{u"kind"_s, u"envelope"_s}, {u"at"_s, 1'700'000'000'000LL + version},
                       {u"root"_s, root},          {u"accepted"_s, accepted},
                       {u"initial"_s, false},      {u"base_version"_s, version - 1},
                       {u"version"_s, version},    {u"ops"_s, 2},
                       {u"stream_ops"_s, 1},       {u"upload_ops"_s, 0},
                       {u"events"_s, 3},           {u"bytes"_s, 512}};
    if (accepted) {
        record.insert(u"apply_us"_s, 42);
        record.insert(u"changed"_s, QJsonArray{QJsonArray(), QJsonArray{u"cart"_s}});
    } else {
        record.insert(u"reason"_s, u"version gap"_s);
    }
    return record;
}

QStringList rowVersions(const MusubiInspectorLogModel &log)
{
    QStringList out;
    for (int row = 0; row < log.rowCount(); ++row)
        out.append(QString::number(log.recordAt(row).value(u"version"_s).toInt()));
    return out;
}

// A root with plain values, a child store, a list of stores, a stream, an async value.
const char *kRoot = "{'__musubi_store_id__':[],'count':1,'label':'hi','obj':{'x':1,'y':[1,2]},"
                    "'cart':{'__musubi_store_id__':['cart'],'total':5,'items':[1,2]},"
                    "'lines':[{'__musubi_store_id__':['line','1'],'qty':1},"
                    "{'__musubi_store_id__':['line','2'],'qty':2}],"
                    "'messages':{'__musubi_stream__':'messages'},"
                    "'profile':{'__musubi_async__':true,'status':'loading','result':null,"
                    "'reason':null}}";

QJsonArray streamInserts()
{
    return json("[{'op':'insert','stream':'messages','store_id':[],'item_key':'m1',"
                "'item':{'text':'a'},'at':-1},"
                "{'op':'insert','stream':'messages','store_id':[],'item_key':'m2',"
                "'item':{'text':'b'},'at':-1}]")
            .toArray();
}

QStringList childKeys(const MusubiInspectorStoreModel &model, const QModelIndex &parent)
{
    QStringList keys;
    for (int row = 0; row < model.rowCount(parent); ++row)
        keys.append(
                model.index(row, 0, parent).data(MusubiInspectorStoreModel::KeyRole).toString());
    return keys;
}

QString valueOf(const MusubiInspectorStoreModel &model, const QStringList &keys)
{
    return model.find(keys).data(MusubiInspectorStoreModel::ValueRole).toString();
}

} // namespace

class tst_InspectorModels : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Logs
    void logCapacity_data();
    void logCapacity();
    void logCapacityLowered();
    void logFilter_data();
    void logFilter();
    void logRefusedOnly();
    void logPauseCountsSkipped();
    void logClear();
    void logCopyJson();
    void logSummaries_data();
    void logSummaries();
    void logModelTester();
    // Roots
    void rootsDiff();
    // Store tree
    void treeShowsRootKeys();
    void treeIsLazy();
    void treeMakesNoStoreObjects();
    void treeOpensEveryKind();
    void treeTenThousandStores();
    void treeChangeIsDataChangedOfThatRow();
    void treeUnopenedChangesAreNotRead();
    void treeAddedAndRemovedKeys();
    void treeChildStoreChange();
    void treeStreamRows();
    void treeAsyncStatus();
    void treeRemovedStore();
    void treeOpenRowBecomesStore();
    void treeUploadStatus();
    void treeModelTester();
};

void tst_InspectorModels::logCapacity_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("records");
    QTest::addColumn<QStringList>("kept");
    QTest::newRow("below capacity") << 5 << 3 << QStringList{u"1"_s, u"2"_s, u"3"_s};
    QTest::newRow("at capacity") << 3 << 3 << QStringList{u"1"_s, u"2"_s, u"3"_s};
    QTest::newRow("oldest dropped") << 3 << 7 << QStringList{u"5"_s, u"6"_s, u"7"_s};
    QTest::newRow("capacity one") << 1 << 4 << QStringList{u"4"_s};
}

void tst_InspectorModels::logCapacity()
{
    QFETCH(int, capacity);
    QFETCH(int, records);
    QFETCH(QStringList, kept);
    MusubiInspectorLogModel log(MusubiInspectorLogModel::Kind::Envelopes);
    QCOMPARE(log.capacity(), MusubiInspectorLogModel::DefaultCapacity);
    QCOMPARE(log.capacity(), 1000);
    log.setCapacity(capacity);
    QSignalSpy removed(&log, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&log, &QAbstractItemModel::modelReset);
    for (int v = 1; v <= records; ++v)
        log.append(envelopeRecord(v, true));
    QCOMPARE(rowVersions(log), kept);
    QCOMPARE(log.count(), kept.size());
    QCOMPARE(log.total(), kept.size());
    QCOMPARE(removed.size(), qMax(0, records - capacity));
    QCOMPARE(reset.size(), 0);
}

void tst_InspectorModels::logCapacityLowered()
{
    MusubiInspectorLogModel log;
    for (int v = 1; v <= 10; ++v)
        log.append(envelopeRecord(v, true));
    QSignalSpy total(&log, &MusubiInspectorLogModel::totalChanged);
    log.setCapacity(4);
    QCOMPARE(rowVersions(log), (QStringList{u"7"_s, u"8"_s, u"9"_s, u"10"_s}));
    QCOMPARE(total.size(), 1);
    log.setCapacity(0); // at least one
    QCOMPARE(log.capacity(), 1);
    QCOMPARE(rowVersions(log), QStringList{u"10"_s});
}

void tst_InspectorModels::logFilter_data()
{
    QTest::addColumn<QString>("filter");
    QTest::addColumn<QStringList>("shown");
    QTest::newRow("empty shows all") << QString() << QStringList{u"1"_s, u"2"_s, u"3"_s, u"4"_s};
    QTest::newRow("root") << u"Other:x"_s << QStringList{u"2"_s, u"4"_s};
    QTest::newRow("case-insensitive") << u"other:X"_s << QStringList{u"2"_s, u"4"_s};
    QTest::newRow("field of the record") << u"version gap"_s << QStringList{u"3"_s, u"4"_s};
    QTest::newRow("nothing") << u"no such text"_s << QStringList();
}

void tst_InspectorModels::logFilter()
{
    QFETCH(QString, filter);
    QFETCH(QStringList, shown);
    MusubiInspectorLogModel log;
    log.append(envelopeRecord(1, true));
    log.append(envelopeRecord(2, true, u"Other:x"_s));
    log.append(envelopeRecord(3, false));
    log.setFilterText(filter);
    // Records that arrive while filtering are filtered too.
    log.append(envelopeRecord(4, false, u"Other:x"_s));
    QCOMPARE(rowVersions(log), shown);
    QCOMPARE(log.total(), 4);
    log.setFilterText(QString());
    QCOMPARE(log.count(), 4);
}

void tst_InspectorModels::logRefusedOnly()
{
    MusubiInspectorLogModel log;
    for (int v = 1; v <= 6; ++v)
        log.append(envelopeRecord(v, v % 3 != 0));
    log.setRefusedOnly(true);
    QCOMPARE(rowVersions(log), (QStringList{u"3"_s, u"6"_s}));
    QVERIFY(log.index(0).data(MusubiInspectorLogModel::RefusedRole).toBool());
    log.setFilterText(u"Other"_s);
    QCOMPARE(log.count(), 0);
    log.setFilterText(QString());
    log.setRefusedOnly(false);
    QCOMPARE(log.count(), 6);
    QVERIFY(!log.index(0).data(MusubiInspectorLogModel::RefusedRole).toBool());
}

void tst_InspectorModels::logPauseCountsSkipped()
{
    MusubiInspectorLogModel log;
    log.append(envelopeRecord(1, true));
    QSignalSpy inserted(&log, &QAbstractItemModel::rowsInserted);
    QSignalSpy skipped(&log, &MusubiInspectorLogModel::skippedChanged);
    log.setPaused(true);
    QVERIFY(log.isPaused());
    for (int v = 2; v <= 4; ++v)
        log.append(envelopeRecord(v, true));
    QCOMPARE(log.count(), 1);
    QCOMPARE(log.skipped(), 3);
    QCOMPARE(skipped.size(), 3);
    QCOMPARE(inserted.size(), 0);
    // Resuming keeps the count on show; records are added again.
    log.setPaused(false);
    QCOMPARE(log.skipped(), 3);
    log.append(envelopeRecord(5, true));
    QCOMPARE(rowVersions(log), (QStringList{u"1"_s, u"5"_s}));
    // A new pause starts a new count.
    log.setPaused(true);
    QCOMPARE(log.skipped(), 0);
    log.append(envelopeRecord(6, true));
    QCOMPARE(log.skipped(), 1);
}

void tst_InspectorModels::logClear()
{
    MusubiInspectorLogModel log;
    log.setPaused(true);
    log.append(envelopeRecord(1, true));
    log.setPaused(false);
    for (int v = 2; v <= 4; ++v)
        log.append(envelopeRecord(v, true));
    QSignalSpy count(&log, &MusubiInspectorLogModel::countChanged);
    log.clear();
    QCOMPARE(log.count(), 0);
    QCOMPARE(log.total(), 0);
    QCOMPARE(log.skipped(), 0);
    QCOMPARE(count.size(), 1);
    log.append(envelopeRecord(9, true));
    QCOMPARE(rowVersions(log), QStringList{u"9"_s});
}

void tst_InspectorModels::logCopyJson()
{
    MusubiInspectorLogModel log(MusubiInspectorLogModel::Kind::Events);
    const QJsonObject a{{u"kind"_s, u"event"_s}, {u"at"_s, 1},
                        {u"root"_s, u"R:1"_s},   {u"store_id"_s, QJsonArray()},
                        {u"name"_s, u"toast"_s}, {u"payload"_s, QJsonObject{{u"msg"_s, u"hi"_s}}}};
    const QJsonObject b{{u"kind"_s, u"event"_s}, {u"at"_s, 2},
                        {u"root"_s, u"R:2"_s},   {u"store_id"_s, QJsonArray{u"cart"_s}},
                        {u"name"_s, u"added"_s}, {u"payload"_s, 3}};
    log.append(a);
    log.append(b);
    const QString one = u"{\n"
                        "    \"at\": 1,\n"
                        "    \"kind\": \"event\",\n"
                        "    \"name\": \"toast\",\n"
                        "    \"payload\": {\n"
                        "        \"msg\": \"hi\"\n"
                        "    },\n"
                        "    \"root\": \"R:1\",\n"
                        "    \"store_id\": [\n"
                        "    ]\n"
                        "}\n"_s;
    QCOMPARE(log.copyJson(0), one);
    QCOMPARE(QGuiApplication::clipboard()->text(), one);
    QCOMPARE(log.copyJson(2), QString());
    QCOMPARE(QGuiApplication::clipboard()->text(), one);
    // All shown records: the filter applies.
    log.setFilterText(u"R:2"_s);
    const QString all = log.copyAllJson();
    QCOMPARE(all, QString::fromUtf8(QJsonDocument(QJsonArray{b}).toJson()));
    QCOMPARE(QGuiApplication::clipboard()->text(), all);
    log.setFilterText(QString());
    QCOMPARE(QJsonDocument::fromJson(log.copyAllJson().toUtf8()).array(), (QJsonArray{a, b}));
}

void tst_InspectorModels::logSummaries_data()
{
    QTest::addColumn<MusubiInspectorLogModel::Kind>("kind");
    QTest::addColumn<QJsonObject>("record");
    QTest::addColumn<QString>("summary");
    QTest::newRow("envelope")
            << MusubiInspectorLogModel::Kind::Envelopes << envelopeRecord(3, true)
            << u"v2 → v3  2 ops, 1 stream, 0 upload, 3 events  512 B  42 µs  2 changed"_s;
    QTest::newRow("refused envelope")
            << MusubiInspectorLogModel::Kind::Envelopes << envelopeRecord(5, false)
            << u"v4 → v5  refused: version gap"_s;
    QJsonObject initial = envelopeRecord(1, true);
    initial.insert(u"initial"_s, true);
    QTest::newRow("initial envelope") << MusubiInspectorLogModel::Kind::Envelopes << initial
                                      << u"initial → v1  2 ops, 1 stream, 0 upload, 3 events  "
                                         "512 B  42 µs  2 changed"_s;
    QTest::newRow("command ok") << MusubiInspectorLogModel::Kind::Commands
                                << QJsonObject{{u"store_id"_s, QJsonArray{u"cart"_s}},
                                               {u"name"_s, u"add"_s},
                                               {u"outcome"_s, u"ok"_s},
                                               {u"sent"_s, true},
                                               {u"latency_us"_s, 2500}}
                                << u"[\"cart\"] add  ok  2.5 ms"_s;
    QTest::newRow("command error") << MusubiInspectorLogModel::Kind::Commands
                                   << QJsonObject{{u"store_id"_s, QJsonArray()},
                                                  {u"name"_s, u"fail"_s},
                                                  {u"outcome"_s, u"error"_s},
                                                  {u"error"_s, u"error_response"_s},
                                                  {u"sent"_s, true},
                                                  {u"latency_us"_s, 1000}}
                                   << u"[] fail  error_response  1.0 ms"_s;
    QTest::newRow("command not sent") << MusubiInspectorLogModel::Kind::Commands
                                      << QJsonObject{{u"store_id"_s, QJsonArray()},
                                                     {u"name"_s, u"x"_s},
                                                     {u"outcome"_s, u"error"_s},
                                                     {u"error"_s, u"not_connected"_s},
                                                     {u"sent"_s, false}}
                                      << u"[] x  not_connected  not sent"_s;
    QTest::newRow("event") << MusubiInspectorLogModel::Kind::Events
                           << QJsonObject{{u"store_id"_s, QJsonArray{u"a"_s, u"1"_s}},
                                          {u"name"_s, u"toast"_s},
                                          {u"payload"_s, QJsonObject{{u"msg"_s, u"hi"_s}}}}
                           << u"[\"a\",\"1\"] toast  {\"msg\":\"hi\"}"_s;
}

void tst_InspectorModels::logSummaries()
{
    QFETCH(MusubiInspectorLogModel::Kind, kind);
    QFETCH(QJsonObject, record);
    QFETCH(QString, summary);
    QCOMPARE(MusubiInspectorLogModel::summary(kind, record), summary);
    MusubiInspectorLogModel log(kind);
    log.append(record);
    QCOMPARE(log.index(0).data(MusubiInspectorLogModel::SummaryRole).toString(), summary);
}

void tst_InspectorModels::logModelTester()
{
    MusubiInspectorLogModel log;
    QAbstractItemModelTester tester(&log, QAbstractItemModelTester::FailureReportingMode::QtTest);
    log.setCapacity(3);
    for (int v = 1; v <= 5; ++v)
        log.append(envelopeRecord(v, v != 4));
    log.setRefusedOnly(true);
    log.append(envelopeRecord(6, false));
    log.setRefusedOnly(false);
    log.setFilterText(u"v"_s);
    log.clear();
    QCOMPARE(log.rowCount(), 0);
}

void tst_InspectorModels::rootsDiff()
{
    MusubiInspectorRootsModel roots;
    QAbstractItemModelTester tester(&roots, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const auto root = [](const QString &key, int version) {
        return QJsonObject{{u"root"_s, key}, {u"phase"_s, u"live"_s}, {u"version"_s, version}};
    };
    roots.setRoots({root(u"B:1"_s, 1), root(u"A:1"_s, 1)});
    QCOMPARE(roots.count(), 2);
    QCOMPARE(roots.rootAt(0).value(u"root"_s).toString(), u"A:1"_s);
    QSignalSpy changed(&roots, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&roots, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&roots, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&roots, &QAbstractItemModel::modelReset);
    roots.setRoots({root(u"A:1"_s, 1), root(u"B:1"_s, 2), root(u"C:1"_s, 1)});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(roots.index(1).data(MusubiInspectorRootsModel::VersionRole).toInt(), 2);
    roots.setRoots({root(u"C:1"_s, 1)});
    QCOMPARE(removed.size(), 2);
    QCOMPARE(roots.count(), 1);
    QCOMPARE(roots.indexOf(u"C:1"_s), 0);
    QCOMPARE(roots.indexOf(u"A:1"_s), -1);
    QCOMPARE(reset.size(), 0);
}

void tst_InspectorModels::treeShowsRootKeys()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    QSignalSpy treeChanged(&model, &MusubiInspectorStoreModel::treeChanged);
    model.setTree(&tree);
    QCOMPARE(treeChanged.size(), 1);
    QCOMPARE(childKeys(model, {}),
             (QStringList{u"cart"_s, u"count"_s, u"label"_s, u"lines"_s, u"messages"_s, u"obj"_s,
                          u"profile"_s}));
    const auto type = [&model](const QString &key) {
        return model.find({key}).data(MusubiInspectorStoreModel::TypeRole).toString();
    };
    QCOMPARE(type(u"cart"_s), u"store"_s);
    QCOMPARE(type(u"count"_s), u"number"_s);
    QCOMPARE(type(u"label"_s), u"string"_s);
    QCOMPARE(type(u"lines"_s), u"array"_s);
    QCOMPARE(type(u"messages"_s), u"stream"_s);
    QCOMPARE(type(u"obj"_s), u"object"_s);
    QCOMPARE(type(u"profile"_s), u"async"_s);
    QCOMPARE(valueOf(model, {u"count"_s}), u"1"_s);
    QCOMPARE(valueOf(model, {u"label"_s}), u"\"hi\""_s);
    QCOMPARE(valueOf(model, {u"cart"_s}), u"[\"cart\"]  2 keys"_s);
    QCOMPARE(valueOf(model, {u"lines"_s}), u"[2 items]"_s);
    QCOMPARE(valueOf(model, {u"messages"_s}), u"2 rows"_s);
    QCOMPARE(valueOf(model, {u"obj"_s}), u"{\"x\":1,\"y\":[1,2]}"_s);
    QCOMPARE(valueOf(model, {u"profile"_s}), u"loading"_s);
    model.setTree(nullptr);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.createdNodeCount(), 0);
}

void tst_InspectorModels::treeIsLazy()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    // Only the root store's keys exist; nothing below them.
    QCOMPARE(model.createdNodeCount(), 7);
    const QModelIndex cart = model.index(0, 0);
    QCOMPARE(cart.data(MusubiInspectorStoreModel::KeyRole).toString(), u"cart"_s);
    QVERIFY(model.hasChildren(cart));
    QCOMPARE(model.createdNodeCount(), 7); // hasChildren() makes nothing
    // Opening a row (a view asks for its row count) makes its children only.
    QCOMPARE(model.rowCount(cart), 2);
    QCOMPARE(model.createdNodeCount(), 9);
    const QModelIndex items = model.index(0, 0, cart);
    QCOMPARE(items.data(MusubiInspectorStoreModel::KeyRole).toString(), u"items"_s);
    QCOMPARE(model.createdNodeCount(), 9);
    QCOMPARE(model.rowCount(items), 2);
    QCOMPARE(model.createdNodeCount(), 11);
    QCOMPARE(model.parent(items), cart);
    QCOMPARE(model.parent(cart), QModelIndex());
}

void tst_InspectorModels::treeMakesNoStoreObjects()
{
    // Without a stream (whose model needs its store's object) no store object is made.
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(
            mountEnvelope(json("{'__musubi_store_id__':[],'count':1,"
                               "'cart':{'__musubi_store_id__':['cart'],'total':5,"
                               "'inner':{'__musubi_store_id__':['cart','inner'],'n':1}},"
                               "'lines':[{'__musubi_store_id__':['line','1'],'qty':1}]}"))));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    QCOMPARE(valueOf(model, {u"cart"_s, u"inner"_s, u"n"_s}), u"1"_s);
    QCOMPARE(valueOf(model, {u"lines"_s, u"0"_s, u"qty"_s}), u"1"_s);
    QVERIFY(!tree.existingStore(QJsonArray()));
    QVERIFY(!tree.existingStore(QJsonArray{u"cart"_s}));
    QVERIFY(!tree.existingStore(QJsonArray{u"cart"_s, u"inner"_s}));
    QVERIFY(!tree.existingStore(QJsonArray{u"line"_s, u"1"_s}));
}

void tst_InspectorModels::treeOpensEveryKind()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    QCOMPARE(childKeys(model, model.find({u"cart"_s})), (QStringList{u"items"_s, u"total"_s}));
    QCOMPARE(childKeys(model, model.find({u"lines"_s})), (QStringList{u"0"_s, u"1"_s}));
    QCOMPARE(valueOf(model, {u"lines"_s, u"1"_s}), u"[\"line\",\"2\"]  1 key"_s);
    QCOMPARE(valueOf(model, {u"lines"_s, u"1"_s, u"qty"_s}), u"2"_s);
    QCOMPARE(childKeys(model, model.find({u"messages"_s})), (QStringList{u"m1"_s, u"m2"_s}));
    QCOMPARE(valueOf(model, {u"messages"_s, u"m2"_s, u"text"_s}), u"\"b\""_s);
    QCOMPARE(childKeys(model, model.find({u"profile"_s})),
             (QStringList{u"reason"_s, u"result"_s, u"status"_s}));
    QCOMPARE(childKeys(model, model.find({u"obj"_s, u"y"_s})), (QStringList{u"0"_s, u"1"_s}));
    QCOMPARE(model.find({u"obj"_s, u"nope"_s}), QModelIndex());
    QCOMPARE(model.find({u"lines"_s, u"1"_s}).data(MusubiInspectorStoreModel::StoreIdRole),
             QVariant(u"[\"line\",\"2\"]"_s));
}

void tst_InspectorModels::treeTenThousandStores()
{
    constexpr int Stores = 10'000;
    QJsonArray rows;
    for (int i = 0; i < Stores; ++i) {
        rows.append(
                QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"row"_s, QString::number(i)}},
                            {u"title"_s, u"Row %1"_s.arg(i)},
                            {u"done"_s, i % 2 == 0}});
    }
    QJsonObject root{{u"__musubi_store_id__"_s, QJsonArray()}, {u"rows"_s, rows}};
    for (int i = 0; i < Stores; ++i) {
        root.insert(u"s%1"_s.arg(i, 5, 10, QLatin1Char('0')),
                    QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"s"_s, QString::number(i)}},
                                {u"value"_s, i}});
    }
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(root)));
    QCOMPARE(tree.storeIds().size(), 2 * Stores + 1);

    MusubiInspectorStoreModel model;
    QElapsedTimer timer;
    timer.start();
    model.setTree(&tree);
    const int topRows = model.rowCount();
    const qint64 openNs = timer.nsecsElapsed();
    QCOMPARE(topRows, Stores + 1);
    QCOMPARE(model.createdNodeCount(), Stores + 1);

    timer.restart();
    const QModelIndex list = model.find({u"rows"_s});
    const int listRows = model.rowCount(list);
    const qint64 expandNs = timer.nsecsElapsed();
    QCOMPARE(listRows, Stores);
    QCOMPARE(model.createdNodeCount(), 2 * Stores + 1);
    QCOMPARE(valueOf(model, {u"rows"_s, u"9999"_s}), u"[\"row\",\"9999\"]  2 keys"_s);
    // Still nothing below the child stores, and no store objects.
    QCOMPARE(model.createdNodeCount(), 2 * Stores + 1);
    QVERIFY(!tree.existingStore(QJsonArray{u"row"_s, u"1"_s}));

    const QJsonObject change =
            envelope(json("[{'op':'replace','path':'/rows/5000/title','value':'x'}]"));
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    timer.restart();
    QVERIFY(!tree.apply(change));
    const qint64 changeNs = timer.nsecsElapsed();
    QCOMPARE(changed.size(), 0); // the changed store is not open
    // The same change on the same tree with no model, for comparison.
    MusubiStoreTree bare;
    QVERIFY(!bare.apply(mountEnvelope(root)));
    timer.restart();
    QVERIFY(!bare.apply(change));
    const qint64 bareNs = timer.nsecsElapsed();
    qInfo("10000 child stores of the root (and a list of 10000 more): open %.2f ms, "
          "open the list %.2f ms, one change with both open %.2f ms (%.2f ms without the model)",
          double(openNs) / 1e6, double(expandNs) / 1e6, double(changeNs) / 1e6,
          double(bareNs) / 1e6);
}

void tst_InspectorModels::treeChangeIsDataChangedOfThatRow()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const QModelIndex count = model.find({u"count"_s});
    QCOMPARE(count.data(MusubiInspectorStoreModel::ChangedAtRole).toLongLong(), 0);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/count','value':2}]"))));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), count);
    QCOMPARE(changed.at(0).at(1).value<QModelIndex>(), count);
    QCOMPARE(count.data(MusubiInspectorStoreModel::ValueRole).toString(), u"2"_s);
    QVERIFY(count.data(MusubiInspectorStoreModel::ChangedAtRole).toLongLong() >= before);
    QCOMPARE(inserted.size() + removed.size() + reset.size(), 0);
    // A value that stays the same is no change.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/count','value':2}]"))));
    QCOMPARE(changed.size(), 1);
    // A nested plain value that was opened: its own row (and its parent's preview).
    const QModelIndex x = model.find({u"obj"_s, u"x"_s});
    QVERIFY(x.isValid());
    changed.clear();
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/obj/x','value':7}]"))));
    QList<QModelIndex> rows;
    for (const auto &args : std::as_const(changed))
        rows.append(args.at(0).value<QModelIndex>());
    QCOMPARE(rows, (QList<QModelIndex>{model.find({u"obj"_s}), x}));
    QCOMPARE(x.data(MusubiInspectorStoreModel::ValueRole).toString(), u"7"_s);
}

void tst_InspectorModels::treeUnopenedChangesAreNotRead()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    // The cart is not open: its key count stays, nothing is made or announced.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/cart/total','value':9}]"))));
    QCOMPARE(changed.size(), 0);
    QCOMPARE(model.createdNodeCount(), 7);
    // A new key of the closed cart changes only the cart row's preview.
    QVERIFY(!tree.apply(envelope(json("[{'op':'add','path':'/cart/note','value':'n'}]"))));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), model.find({u"cart"_s}));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(model.createdNodeCount(), 7);
}

void tst_InspectorModels::treeAddedAndRemovedKeys()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(&tree);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QVERIFY(!tree.apply(envelope(json("[{'op':'add','path':'/banner','value':'x'},"
                                      "{'op':'remove','path':'/label'}]"))));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 0); // "banner" sorts first
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 2); // "label" was row 2 of the old rows
    QCOMPARE(childKeys(model, {}),
             (QStringList{u"banner"_s, u"cart"_s, u"count"_s, u"lines"_s, u"messages"_s, u"obj"_s,
                          u"profile"_s}));
    // Array items appended to an opened array.
    const QModelIndex lines = model.find({u"lines"_s});
    QCOMPARE(model.rowCount(lines), 2);
    inserted.clear();
    QVERIFY(!tree.apply(envelope(json("[{'op':'add','path':'/lines/-','value':"
                                      "{'__musubi_store_id__':['line','3'],'qty':3}}]"))));
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.at(0).at(0).value<QModelIndex>(), lines);
    QCOMPARE(inserted.at(0).at(1).toInt(), 2);
    QCOMPARE(valueOf(model, {u"lines"_s}), u"[3 items]"_s);
    QCOMPARE(reset.size(), 0);
}

void tst_InspectorModels::treeChildStoreChange()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    const QModelIndex qty = model.find({u"lines"_s, u"0"_s, u"qty"_s});
    QVERIFY(qty.isValid());
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/lines/0/qty','value':5}]"))));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), qty);
    QCOMPARE(qty.data(MusubiInspectorStoreModel::ValueRole).toString(), u"5"_s);
}

void tst_InspectorModels::treeStreamRows()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(&tree);
    const QModelIndex messages = model.find({u"messages"_s});
    QCOMPARE(model.rowCount(messages), 2);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(!tree.apply(
            envelope(QJsonArray(),
                     json("[{'op':'insert','stream':'messages','store_id':[],'item_key':'m3',"
                          "'item':{'text':'c'},'at':0},"
                          "{'op':'delete','stream':'messages','store_id':[],'item_key':'m1'}]"))));
    QCOMPARE(childKeys(model, messages), (QStringList{u"m3"_s, u"m2"_s}));
    QCOMPARE(messages.data(MusubiInspectorStoreModel::ValueRole).toString(), u"2 rows"_s);
    QVERIFY(inserted.size() >= 1);
    QVERIFY(removed.size() >= 1);
}

void tst_InspectorModels::treeAsyncStatus()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/profile','value':"
                                      "{'__musubi_async__':true,'status':'ok','result':"
                                      "{'name':'Ann'},'reason':null}}]"))));
    QCOMPARE(valueOf(model, {u"profile"_s}), u"ok: {\"name\":\"Ann\"}"_s);
    QCOMPARE(changed.size(), 1);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/profile','value':"
                                      "{'__musubi_async__':true,'status':'failed','result':null,"
                                      "'reason':'timeout'}}]"))));
    QCOMPARE(valueOf(model, {u"profile"_s}), u"failed: \"timeout\""_s);
}

void tst_InspectorModels::treeRemovedStore()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    MusubiInspectorStoreModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(&tree);
    QVERIFY(model.find({u"cart"_s, u"items"_s, u"1"_s}).isValid());
    const int made = model.createdNodeCount();
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/cart'}]"))));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(model.find({u"cart"_s}), QModelIndex());
    // The cart row, its 2 keys and the 2 items are gone.
    QCOMPARE(model.createdNodeCount(), made - 5);
}

// A row a view has open whose value becomes a child store stays open: its new keys are
// announced (the view would otherwise show an open row without children).
void tst_InspectorModels::treeOpenRowBecomesStore()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json("{'__musubi_store_id__':[],'box':{'a':1}}"))));
    MusubiInspectorStoreModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(&tree);
    QVERIFY(model.find({u"box"_s, u"a"_s}).isValid()); // opens "box"
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'replace','path':'/"
                          "box','value':{'__musubi_store_id__':['box'],'b':2,'c':3}}]"))));
    const QModelIndex box = model.find({u"box"_s});
    QCOMPARE(box.data(MusubiInspectorStoreModel::TypeRole).toString(), u"store"_s);
    bool announced = false;
    for (const auto &args : std::as_const(inserted)) {
        if (args.at(0).value<QModelIndex>() == box && args.at(1).toInt() == 0
            && args.at(2).toInt() == 1)
            announced = true;
    }
    QVERIFY2(announced, "the open row's new keys were not announced");
    QCOMPARE(model.rowCount(box), 2);
    QVERIFY(model.find({u"box"_s, u"b"_s}).isValid());
    QVERIFY(!model.find({u"box"_s, u"a"_s}).isValid());
}

void tst_InspectorModels::treeUploadStatus()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(
            json("{'__musubi_store_id__':[],'avatar':{'__musubi_upload__':'avatar'}}"))));
    MusubiInspectorStoreModel model;
    model.setTree(&tree);
    const QModelIndex avatar = model.find({u"avatar"_s});
    QCOMPARE(avatar.data(MusubiInspectorStoreModel::TypeRole).toString(), u"upload"_s);
    QCOMPARE(avatar.data(MusubiInspectorStoreModel::ValueRole).toString(), u"idle"_s);
    QVERIFY(!model.hasChildren(avatar));
    // A local selection changes the handle's status: the row follows it.
    MusubiUpload *upload = tree.upload(QJsonArray(), u"avatar"_s);
    QVERIFY(upload);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QTemporaryFile file;
    QVERIFY(file.open());
    file.write("x");
    file.close();
    upload->select(QVariantList{QUrl::fromLocalFile(file.fileName())});
    QVERIFY(upload->statusName() != u"idle"_s);
    QCOMPARE(avatar.data(MusubiInspectorStoreModel::ValueRole).toString(), upload->statusName());
    QVERIFY(!changed.isEmpty());
    for (const auto &args : std::as_const(changed))
        QCOMPARE(args.at(0).value<QModelIndex>(), avatar);
}

void tst_InspectorModels::treeModelTester()
{
    MusubiStoreTree tree;
    MusubiInspectorStoreModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTree(&tree);
    QCOMPARE(model.rowCount(), 0);
    // The first envelope of the tree: the root store appears.
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), streamInserts())));
    QCOMPARE(model.rowCount(), 7);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/cart/total','value':1},"
                                      "{'op':'add','path':'/obj/z','value':{'a':[1]}},"
                                      "{'op':'replace','path':'/lines','value':[]}]"))));
    QCOMPARE(valueOf(model, {u"lines"_s}), u"[]"_s);
    {
        MusubiStoreTree other;
        QVERIFY(!other.apply(mountEnvelope(json("{'__musubi_store_id__':[],'a':1}"))));
        model.setTree(&other);
        QCOMPARE(childKeys(model, {}), QStringList{u"a"_s});
    }
    // The tree went away: the model empties.
    QCOMPARE(model.tree(), nullptr);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_MAIN(tst_InspectorModels)
#include "tst_inspectormodels.moc"

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "testutil.h"

#include <musubistore.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubistreamop_p.h>

#include <QtCore/QRandomGenerator>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using Musubi::detail::StreamEntry;
using Musubi::detail::StreamOp;

namespace {

QJsonObject insertOp(const QString &key, qint64 at, std::optional<qint64> limit = std::nullopt,
                     const QJsonArray &storeId = {}, const QString &stream = u"items"_s)
{
    QJsonObject op{{u"op"_s, u"insert"_s},
                   {u"stream"_s, stream},
                   {u"ref"_s, u"0"_s},
                   {u"store_id"_s, storeId},
                   {u"item_key"_s, key},
                   {u"at"_s, double(at)},
                   {u"item"_s, QJsonObject{{u"id"_s, key}, {u"label"_s, u"L"_s + key}}},
                   {u"limit"_s, limit ? QJsonValue(double(*limit)) : QJsonValue()}};
    return op;
}

QJsonObject deleteOp(const QString &key, const QJsonArray &storeId = {})
{
    return {{u"op"_s, u"delete"_s},
            {u"stream"_s, u"items"_s},
            {u"ref"_s, u"0"_s},
            {u"store_id"_s, storeId},
            {u"item_key"_s, key}};
}

QJsonObject resetOp(const QJsonArray &storeId = {})
{
    return {{u"op"_s, u"reset"_s},
            {u"stream"_s, u"items"_s},
            {u"ref"_s, u"0"_s},
            {u"store_id"_s, storeId}};
}

const char *kRoot =
        "{'__musubi_store_id__':[],'items':{'__musubi_stream__':'items'},"
        "'child':{'__musubi_store_id__':['child'],'feed':{'__musubi_stream__':'items'}}}";

QJsonArray seed(const QStringList &keys)
{
    QJsonArray ops;
    for (const QString &key : keys)
        ops.append(insertOp(key, -1));
    return ops;
}

} // namespace

class tst_MusubiStreams : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void examples_data();
    void examples();
    void decodeFailures_data();
    void decodeFailures();
    void treeOpFailureLeavesStreams();
    void batchedSignals_data();
    void batchedSignals();
    void resetSemantics();
    void roles();
    void slotResolvesToModel();
    void streamOpsNameExactlyTheirStore();
    void randomAgainstReference();
};

void tst_MusubiStreams::examples_data()
{
    QTest::addColumn<QStringList>("start");
    QTest::addColumn<QJsonArray>("ops");
    QTest::addColumn<QStringList>("expected");
    auto L = [](const char *s) {
        return QString::fromLatin1(s).split(u',', Qt::SkipEmptyParts);
    };
    // The eight worked examples of docs/protocol.md §6.2.
    QTest::newRow("§6.2 #1 append") << L("1,2") << QJsonArray{insertOp(u"9"_s, -1)} << L("1,2,9");
    QTest::newRow("§6.2 #2 prepend")
            << L("1,2,9") << QJsonArray{insertOp(u"0"_s, 0)} << L("0,1,2,9");
    QTest::newRow("§6.2 #3 at 1") << L("1,2,3") << QJsonArray{insertOp(u"7"_s, 1)} << L("1,7,2,3");
    QTest::newRow("§6.2 #4 upsert existing key")
            << L("1,7,2,3") << QJsonArray{insertOp(u"1"_s, 2)} << L("7,2,1,3");
    QTest::newRow("§6.2 #5 limit 3 from front")
            << L("1,2,3,4") << QJsonArray{insertOp(u"5"_s, -1, 3)} << L("3,4,5");
    QTest::newRow("§6.2 #6 limit -2 from end")
            << L("3,4,5") << QJsonArray{insertOp(u"6"_s, 0, -2)} << L("6,3");
    QTest::newRow("§6.2 #7 limit 0 clears")
            << L("6,3") << QJsonArray{insertOp(u"7"_s, -1, 0)} << L("");
    QTest::newRow("§6.2 #8 positive at trims front")
            << L("a,b") << QJsonArray{insertOp(u"c"_s, 1, 2)} << L("c,b");
    // More.
    QTest::newRow("other negative prepends")
            << L("1,2") << QJsonArray{insertOp(u"x"_s, -5)} << L("x,1,2");
    QTest::newRow("at beyond length appends")
            << L("1,2") << QJsonArray{insertOp(u"x"_s, 99)} << L("1,2,x");
    // Numbers beyond qint64 (a double cast would be undefined behaviour) act as infinite.
    QTest::newRow("at beyond qint64 appends")
            << L("1,2")
            << QJsonArray{json("{'op':'insert','stream':'items','store_id':[],"
                               "'item_key':'x','item':{'id':'x'},'at':2e30}")}
            << L("1,2,x");
    QTest::newRow("at below qint64 prepends")
            << L("1,2")
            << QJsonArray{json("{'op':'insert','stream':'items','store_id':[],"
                               "'item_key':'x','item':{'id':'x'},'at':-2e30}")}
            << L("x,1,2");
    QTest::newRow("limit of qint64 minimum never trims")
            << L("1,2")
            << QJsonArray{json("{'op':'insert','stream':'items','store_id':[],"
                               "'item_key':'x','item':{'id':'x'},'at':-1,"
                               "'limit':-9223372036854775808}")}
            << L("1,2,x");
    QTest::newRow("limit beyond qint64 never trims")
            << L("1,2")
            << QJsonArray{json("{'op':'insert','stream':'items','store_id':[],"
                               "'item_key':'x','item':{'id':'x'},'at':0,"
                               "'limit':-1e300}")}
            << L("x,1,2");
    QTest::newRow("upsert index against post-removal length")
            << L("1,2,3") << QJsonArray{insertOp(u"1"_s, 3)} << L("2,3,1");
    QTest::newRow("upsert at -1 moves to end")
            << L("1,2,3") << QJsonArray{insertOp(u"1"_s, -1)} << L("2,3,1");
    QTest::newRow("limit null never trims")
            << L("1,2,3") << QJsonArray{insertOp(u"4"_s, -1)} << L("1,2,3,4");
    QTest::newRow("limit sign ignored")
            << L("1,2,3") << QJsonArray{insertOp(u"4"_s, -1, -2)} << L("3,4");
    QTest::newRow("limit equal to length keeps")
            << L("1,2") << QJsonArray{insertOp(u"3"_s, -1, 3)} << L("1,2,3");
    QTest::newRow("limit 0 at 0 clears") << L("1,2") << QJsonArray{insertOp(u"3"_s, 0, 0)} << L("");
    QTest::newRow("delete") << L("1,2,3") << QJsonArray{deleteOp(u"2"_s)} << L("1,3");
    QTest::newRow("delete missing key") << L("1,2") << QJsonArray{deleteOp(u"9"_s)} << L("1,2");
    QTest::newRow("reset then inserts")
            << L("1,2") << QJsonArray{resetOp(), insertOp(u"a"_s, -1)} << L("a");
    QTest::newRow("server flush order reset+inserts+deletes")
            << L("1,2")
            << QJsonArray{resetOp(), insertOp(u"a"_s, -1), insertOp(u"b"_s, -1), deleteOp(u"a"_s)}
            << L("b");
    QTest::newRow("insert then delete same envelope")
            << L("1") << QJsonArray{insertOp(u"2"_s, -1), deleteOp(u"2"_s)} << L("1");
    QTest::newRow("several prepends")
            << L("1") << QJsonArray{insertOp(u"a"_s, 0), insertOp(u"b"_s, 0)} << L("b,a,1");
    QTest::newRow("mixed inserts") << L("1,2,3")
                                   << QJsonArray{insertOp(u"a"_s, 1), insertOp(u"b"_s, 0),
                                                 insertOp(u"c"_s, -1), insertOp(u"2"_s, 0)}
                                   << L("2,b,1,a,3,c");
    QTest::newRow("capped feed") << L("1,2,3")
                                 << QJsonArray{insertOp(u"4"_s, -1, 3), insertOp(u"5"_s, -1, 3)}
                                 << L("3,4,5");
}

void tst_MusubiStreams::examples()
{
    QFETCH(QStringList, start);
    QFETCH(QJsonArray, ops);
    QFETCH(QStringList, expected);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), seed(start))));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    QVERIFY(model);
    QCOMPARE(model->keys(), start);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    const auto error = tree.apply(envelope(QJsonArray(), ops));
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    QCOMPARE(model->keys(), expected);
    QCOMPARE(model->rowCount(), expected.size());
    for (int row = 0; row < expected.size(); ++row)
        QCOMPARE(model->itemAt(row).toObject().value(u"id"_s).toString(), expected.at(row));
    // The pure reference agrees.
    QList<StreamEntry> list;
    for (const QString &key : start)
        list.append({key, QJsonValue(key)});
    for (const QJsonValue &op : ops)
        Musubi::detail::applyStreamOp(list, *StreamOp::decode(op, nullptr));
    QStringList reference;
    for (const StreamEntry &entry : list)
        reference.append(entry.key);
    QCOMPARE(reference, expected);
    // A reset op resets only a non-empty list.
    bool hasReset = false;
    for (const QJsonValue &op : ops)
        hasReset = hasReset || op[u"op"_s] == u"reset"_s;
    QCOMPARE(resets.size(), hasReset && !start.isEmpty() ? 1 : 0);
}

void tst_MusubiStreams::decodeFailures_data()
{
    QTest::addColumn<QJsonValue>("op");
    QTest::newRow("not an object") << json("1");
    QTest::newRow("unknown op") << json(
            "{'op':'upsert','stream':'items','store_id':[],'item_key':'a','item':1,'at':-1}");
    QTest::newRow("stream missing") << json("{'op':'reset','store_id':[]}");
    QTest::newRow("store_id not array") << json("{'op':'reset','stream':'items','store_id':'x'}");
    QTest::newRow("store_id non-string") << json("{'op':'reset','stream':'items','store_id':[1]}");
    QTest::newRow("item_key missing") << json("{'op':'delete','stream':'items','store_id':[]}");
    QTest::newRow("insert without item")
            << json("{'op':'insert','stream':'items','store_id':[],'item_key':'a','at':-1}");
    QTest::newRow("at not integer") << json(
            "{'op':'insert','stream':'items','store_id':[],'item_key':'a','item':1,'at':0.5}");
    QTest::newRow("limit not integer") << json("{'op':'insert','stream':'items','store_id':[],'"
                                               "item_key':'a','item':1,'at':-1,'limit':'x'}");
}

void tst_MusubiStreams::decodeFailures()
{
    QFETCH(QJsonValue, op);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), seed({u"1"_s, u"2"_s}))));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    const QJsonObject before = tree.tree();
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy changed(tree.rootStore(), &MusubiStore::changed);
    QSignalSpy titleChanged(tree.rootStore(), &QQmlPropertyMap::valueChanged);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused envelope"_s));
    // A valid tree op and a valid stream op come first: neither may become visible.
    const auto error = tree.apply(envelope(json("[{'op':'add','path':'/title','value':'t'}]"),
                                           QJsonArray{insertOp(u"3"_s, -1), op}));
    QVERIFY(error);
    QCOMPARE(error->section, u"stream_ops"_s);
    QCOMPARE(error->opIndex, 1);
    QCOMPARE(compact(tree.tree()), compact(before));
    QCOMPARE(model->keys(), (QStringList{u"1"_s, u"2"_s}));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(changed.size(), 0);
    QVERIFY(!tree.rootStore()->value(u"title"_s).isValid());
}

void tst_MusubiStreams::treeOpFailureLeavesStreams()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), seed({u"1"_s, u"2"_s}))));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(tree.rootStore(), &MusubiStore::changed);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused envelope"_s));
    const auto error =
            tree.apply(envelope(json("[{'op':'remove','path':'/missing'}]"),
                                QJsonArray{resetOp(), insertOp(u"3"_s, -1), deleteOp(u"1"_s)}));
    QVERIFY(error);
    QCOMPARE(error->section, u"ops"_s);
    QCOMPARE(model->keys(), (QStringList{u"1"_s, u"2"_s}));
    QCOMPARE(inserted.size() + removed.size() + resets.size() + changed.size(), 0);
}

void tst_MusubiStreams::batchedSignals_data()
{
    QTest::addColumn<QStringList>("start");
    QTest::addColumn<QJsonArray>("ops");
    QTest::addColumn<int>("insertSignals");
    QTest::addColumn<int>("removeSignals");
    QJsonArray appends, prepends, deletes, capped;
    for (int i = 0; i < 1000; ++i) {
        appends.append(insertOp(u"n%1"_s.arg(i), -1));
        prepends.append(insertOp(u"p%1"_s.arg(i), 0));
    }
    QStringList hundred;
    for (int i = 0; i < 100; ++i) {
        hundred.append(QString::number(i));
        if (i >= 10 && i < 60)
            deletes.append(deleteOp(QString::number(i)));
    }
    QTest::newRow("1000 appends: one range") << hundred << appends << 1 << 0;
    QTest::newRow("1000 prepends: one range") << hundred << prepends << 1 << 0;
    QTest::newRow("50 adjacent deletes: one range") << hundred << deletes << 0 << 1;
    QTest::newRow("limit 0 clears in one range")
            << hundred << QJsonArray{insertOp(u"x"_s, -1, 0)} << 1 << 1;
    QTest::newRow("trim 50 from the end in one range")
            << hundred << QJsonArray{insertOp(u"x"_s, 0, 51)} << 1 << 1;
    QTest::newRow("trim from the end inside the pending run")
            << QStringList()
            << QJsonArray{insertOp(u"a"_s, 0, 2), insertOp(u"b"_s, 0, 2), insertOp(u"c"_s, 0, 2)}
            << 1 << 0;
}

void tst_MusubiStreams::batchedSignals()
{
    QFETCH(QStringList, start);
    QFETCH(QJsonArray, ops);
    QFETCH(int, insertSignals);
    QFETCH(int, removeSignals);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), seed(start))));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QSignalSpy count(model, &MusubiStreamModel::countChanged);
    QVERIFY(!tree.apply(envelope(QJsonArray(), ops)));
    QCOMPARE(inserted.size(), insertSignals);
    QCOMPARE(removed.size(), removeSignals);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(count.size(), model->count() != start.size() ? 1 : 0);
}

void tst_MusubiStreams::resetSemantics()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), QJsonArray{resetOp(), insertOp(u"a"_s, -1)})));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model->resetCount(), 0); // reset of an absent/empty list is not a model reset
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QVERIFY(!tree.apply(envelope(QJsonArray(), QJsonArray{resetOp(), insertOp(u"b"_s, -1)})));
    QCOMPARE(resets.size(), 1);
    QCOMPARE(model->keys(), QStringList{u"b"_s});
    QCOMPARE(model->resetCount(), 1);
    QVERIFY(!tree.apply(envelope(QJsonArray(), QJsonArray{deleteOp(u"b"_s)})));
    QVERIFY(!tree.apply(envelope(QJsonArray(), QJsonArray{resetOp()})));
    QCOMPARE(resets.size(), 1);
}

void tst_MusubiStreams::roles()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot), QJsonArray{insertOp(u"a"_s, -1)})));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    const QHash<int, QByteArray> roles = model->roleNames();
    QCOMPARE(roles.value(MusubiStreamModel::KeyRole), QByteArray("key"));
    QCOMPARE(roles.value(MusubiStreamModel::ItemRole), QByteArray("item"));
    QCOMPARE(roles.value(MusubiStreamModel::ModelDataRole), QByteArray("modelData"));
    const int labelRole = roles.key("label");
    const int idRole = roles.key("id");
    QVERIFY(labelRole >= MusubiStreamModel::FirstFieldRole);
    QVERIFY(idRole >= MusubiStreamModel::FirstFieldRole);
    const QModelIndex index = model->index(0);
    QCOMPARE(model->data(index, labelRole).toString(), u"La"_s);
    QCOMPARE(model->data(index, MusubiStreamModel::KeyRole).toString(), u"a"_s);
    QCOMPARE(model->data(index, MusubiStreamModel::ItemRole).toMap().value(u"id"_s).toString(),
             u"a"_s);
    QCOMPARE(model->items(), (QJsonArray{QJsonObject{{u"id"_s, u"a"_s}, {u"label"_s, u"La"_s}}}));
    QCOMPARE(model->storeIdJson(), QJsonArray());
    QCOMPARE(model->name(), u"items"_s);
}

void tst_MusubiStreams::slotResolvesToModel()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot))));
    MusubiStore *root = tree.rootStore();
    auto *model = qobject_cast<MusubiStreamModel *>(root->value(u"items"_s).value<QObject *>());
    QVERIFY(model);
    QCOMPARE(model, tree.stream({}, u"items"_s));
    MusubiStore *child = tree.store(QJsonArray{u"child"_s});
    QVERIFY(child);
    // Same stream name in another store is another model (keyed by store id and name).
    auto *feed = qobject_cast<MusubiStreamModel *>(child->value(u"feed"_s).value<QObject *>());
    QVERIFY(feed);
    QVERIFY(feed != model);
    QCOMPARE(feed->storeIdJson(), QJsonArray{u"child"_s});
    QCOMPARE(tree.resolvedState().toObject().value(u"items"_s), QJsonValue(QJsonArray()));
}

void tst_MusubiStreams::streamOpsNameExactlyTheirStore()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot))));
    MusubiStore *root = tree.rootStore();
    MusubiStore *child = tree.store(QJsonArray{u"child"_s});
    QSignalSpy rootChanged(root, &MusubiStore::changed);
    QSignalSpy childChanged(child, &MusubiStore::changed);
    QSignalSpy storesChanged(&tree, &MusubiStoreTree::storesChanged);
    QVERIFY(!tree.apply(
            envelope(QJsonArray(), QJsonArray{insertOp(u"a"_s, -1, {}, QJsonArray{u"child"_s})})));
    // §14: stream ops notify their own store only, not its parent.
    QCOMPARE(childChanged.size(), 1);
    QCOMPARE(rootChanged.size(), 0);
    QCOMPARE(storesChanged.size(), 1);
    QCOMPARE(storesChanged.at(0).at(0).value<QList<QJsonArray>>(),
             QList<QJsonArray>{QJsonArray{u"child"_s}});
    QCOMPARE(tree.stream(QJsonArray{u"child"_s}, u"items"_s)->count(), 1);
    // A stream op for a store that is not in the tree is dropped.
    QVERIFY(!tree.apply(
            envelope(QJsonArray(), QJsonArray{insertOp(u"a"_s, -1, {}, QJsonArray{u"ghost"_s})})));
    QVERIFY(!tree.stream(QJsonArray{u"ghost"_s}, u"items"_s));
    QCOMPARE(storesChanged.size(), 1);
}

void tst_MusubiStreams::randomAgainstReference()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kRoot))));
    MusubiStreamModel *model = tree.stream({}, u"items"_s);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QList<StreamEntry> reference;
    // Shadow list maintained from the model's signals only: proves the signals describe
    // the change exactly.
    QStringList shadow;
    connect(model, &QAbstractItemModel::rowsInserted, this,
            [&](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    shadow.insert(row, model->keyAt(row));
            });
    connect(model, &QAbstractItemModel::rowsRemoved, this,
            [&](const QModelIndex &, int first, int last) {
                shadow.remove(first, last - first + 1);
            });
    connect(model, &QAbstractItemModel::modelReset, this, [&] { shadow = model->keys(); });
    QRandomGenerator rng(42);
    for (int round = 0; round < 300; ++round) {
        QJsonArray ops;
        const int n = 1 + int(rng.bounded(12));
        for (int i = 0; i < n; ++i) {
            const QString key = QString::number(rng.bounded(15));
            const int kind = int(rng.bounded(20));
            if (kind == 0) {
                ops.append(resetOp());
            } else if (kind < 5) {
                ops.append(deleteOp(key));
            } else {
                static const qint64 ats[] = {-1, 0, 1, 2, 5, -3, 20};
                const qint64 at = ats[rng.bounded(7)];
                std::optional<qint64> limit;
                if (rng.bounded(4) == 0)
                    limit = qint64(rng.bounded(8)) * (rng.bounded(2) ? 1 : -1);
                ops.append(insertOp(key, at, limit));
            }
        }
        for (const QJsonValue &op : std::as_const(ops))
            Musubi::detail::applyStreamOp(reference, *StreamOp::decode(op, nullptr));
        QVERIFY(!tree.apply(envelope(QJsonArray(), ops)));
        QStringList expected;
        for (const StreamEntry &entry : std::as_const(reference))
            expected.append(entry.key);
        QCOMPARE(model->keys(), expected);
        QCOMPARE(shadow, expected);
    }
}

QTEST_GUILESS_MAIN(tst_MusubiStreams)
#include "tst_musubistreams.moc"

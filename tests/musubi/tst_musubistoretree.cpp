// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "testutil.h"

#include <musubiasync.h>
#include <musubicommanderror.h>
#include <musubistore.h>
#include <musubistorelistmodel.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubiupload.h>
#include <musubiuploadentrymodel.h>

#include <QtCore/QMetaProperty>
#include <QtCore/QPointer>
#include <QtTest/QAbstractItemModelTester>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <limits>
#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

const char *kBase = "{'__musubi_store_id__':[],'title':'t','count':1,'meta':{'a':1,'b':[1,2]},"
                    "'child':{'__musubi_store_id__':['child'],'name':'c',"
                    "'deep':{'__musubi_store_id__':['child','deep'],'v':1},"
                    "'avatar':{'__musubi_upload__':'avatar'}},"
                    "'lines':[{'__musubi_store_id__':['lines','l1'],'q':1},"
                    "{'__musubi_store_id__':['lines','l2'],'q':2}],"
                    "'feed':{'__musubi_stream__':'feed'}}";

QString idName(const QJsonArray &id)
{
    QStringList parts;
    for (const QJsonValue &part : id)
        parts.append(part.toString());
    return parts.isEmpty() ? u"root"_s : parts.join(u'/');
}

// Records changed() of every store and the NOTIFY signal of every key of every store.
class Recorder : public QObject
{
public:
    explicit Recorder(MusubiStoreTree *tree)
    {
        const QList<QJsonArray> ids = tree->storeIds();
        for (const QJsonArray &id : ids) {
            MusubiStore *store = tree->store(id);
            const QString name = idName(id);
            connect(store, &MusubiStore::changed, this, [this, name] { changed.append(name); });
            const QMetaObject *mo = store->metaObject();
            const QStringList keys = store->keys();
            for (const QString &key : keys) {
                const int index = mo->indexOfProperty(key.toUtf8().constData());
                if (index < 0)
                    continue;
                const QMetaMethod notify = mo->property(index).notifySignal();
                auto spy = std::make_shared<QSignalSpy>(store, notify);
                spies.append({name + u':' + key, spy});
            }
        }
        connect(tree, &MusubiStoreTree::storesChanged, this, [this](const QList<QJsonArray> &ids) {
            QStringList names;
            for (const QJsonArray &id : ids)
                names.append(idName(id));
            names.sort();
            storesChanged.append(names);
        });
    }
    QStringList keysWritten() const
    {
        QStringList out;
        for (const auto &[name, spy] : spies) {
            if (!spy->isEmpty())
                out.append(name);
        }
        out.sort();
        return out;
    }
    QStringList changed;
    QList<QStringList> storesChanged;
    QList<std::pair<QString, std::shared_ptr<QSignalSpy>>> spies;
};

} // namespace

class tst_MusubiStoreTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mountValues();
    void markersNested();
    void markersAddedInsidePlainData();
    void singleKeyRule_data();
    void singleKeyRule();
    void asyncValues_data();
    void asyncValues();
    void signalPrecision_data();
    void signalPrecision();
    void identicalReplaceEmitsNothing();
    void storesChangedRule_data();
    void storesChangedRule();
    void signalOrder();
    void pruning();
    void storeIdEditedInPlace();
    void atomicityOfStoreIndex();
    void duplicateStoreIds();
    void uploads();
    void uploadNumbersFromTheWire();
    void dispatch();
    void events();
    void reservedKeys();
    void keysChanged();
    void jsonContainers();
    void clear();
    void storesOnDemand();
    void storeMadeLateShowsCurrentState();
    void prunedStoreLearnsItIsGone();
    void storeList_data();
    void storeList();
    void storeListRowFieldTouchesOnlyItsStore();
    void storeListStaysAModelWhenEmpty();
    void storeListDuplicateIds();
    void removedIdAfterInPlaceEdit();
    void reorderByIndexDoesNotWarn();
    void duplicateIdsWithoutObjects_data();
    void duplicateIdsWithoutObjects();
};

void tst_MusubiStoreTree::mountValues()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.rootStore());
    QVERIFY(tree.tree().isEmpty());
    QSignalSpy rootChanged(&tree, &MusubiStoreTree::rootStoreChanged);
    QSignalSpy added(&tree, &MusubiStoreTree::storesAdded);
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QCOMPARE(rootChanged.size(), 1);
    QCOMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(0).value<QList<QJsonArray>>().size(), 5);
    MusubiStore *root = tree.rootStore();
    QVERIFY(root);
    QCOMPARE(root->storeIdJson(), QJsonArray());
    QCOMPARE(root->tree(), &tree);
    QCOMPARE(root->value(u"title"_s), QVariant(u"t"_s));
    QCOMPARE(root->value(u"count"_s).toInt(), 1);
    QCOMPARE(root->value(u"meta"_s).toMap().value(u"b"_s).toList().size(), 2);
    QVERIFY(!root->contains(u"__musubi_store_id__"_s));
    MusubiStore *child = tree.store(QJsonArray{u"child"_s});
    QVERIFY(child);
    QCOMPARE(root->value(u"child"_s).value<QObject *>(), child);
    QCOMPARE(child->value(u"deep"_s).value<QObject *>(),
             tree.store(QJsonArray{u"child"_s, u"deep"_s}));
    auto *feed = qobject_cast<MusubiStreamModel *>(root->value(u"feed"_s).value<QObject *>());
    QVERIFY(feed);
    QCOMPARE(feed, tree.stream(QJsonArray(), u"feed"_s));
    auto *avatar = qobject_cast<MusubiUpload *>(child->value(u"avatar"_s).value<QObject *>());
    QVERIFY(avatar);
    QCOMPARE(avatar->name(), u"avatar"_s);
    QCOMPARE(avatar->storeIdJson(), QJsonArray{u"child"_s});
    QCOMPARE(avatar, tree.upload(QJsonArray{u"child"_s}, u"avatar"_s));
    // A field that holds a list of child stores is a list model.
    auto *lines = qobject_cast<MusubiStoreListModel *>(root->value(u"lines"_s).value<QObject *>());
    QVERIFY(lines);
    QCOMPARE(lines->count(), 2);
    QCOMPARE(lines->get(1), tree.store(QJsonArray{u"lines"_s, u"l2"_s}));
    QCOMPARE(tree.storeIds().size(), 5);
    // The raw tree keeps the markers.
    QCOMPARE(compact(tree.tree()), compact(json(kBase)));
    QCOMPARE(compact(child->node()), compact(json(kBase)[u"child"_s]));
    // Readable view: streams as arrays.
    QCOMPARE(tree.resolvedState()[u"feed"_s], QJsonValue(QJsonArray()));
    QCOMPARE(tree.resolvedState(QJsonArray{u"child"_s})[u"name"_s], QJsonValue(u"c"_s));
}

void tst_MusubiStoreTree::markersNested()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(
            mountEnvelope(json("{'__musubi_store_id__':[],'grid':[[{'__musubi_store_id__':['a']}]],"
                               "'wrap':{'inner':{'s':{'__musubi_stream__':'rows'}}},"
                               "'res':{'__musubi_async__':true,'status':'ok','result':{'__musubi_"
                               "stream__':'rows'},'reason':null},"
                               "'res2':{'__musubi_async__':true,'status':'ok','result':[{'__musubi_"
                               "store_id__':['b'],'x':1}],'reason':null}}"))));
    MusubiStore *root = tree.rootStore();
    MusubiStore *a = tree.store(QJsonArray{u"a"_s});
    QVERIFY(a);
    QCOMPARE(root->value(u"grid"_s).toList().at(0).toList().at(0).value<QObject *>(), a);
    MusubiStreamModel *rows = tree.stream(QJsonArray(), u"rows"_s);
    QVERIFY(rows);
    QCOMPARE(root->value(u"wrap"_s).toMap()[u"inner"_s].toMap()[u"s"_s].value<QObject *>(), rows);
    const QVariantMap res = root->value(u"res"_s).toMap();
    QCOMPARE(res[u"data"_s].value<QObject *>(), rows);
    QCOMPARE(res[u"status"_s].value<MusubiAsync::Status>(), MusubiAsync::Status::Ok);
    MusubiStore *b = tree.store(QJsonArray{u"b"_s});
    QVERIFY(b);
    QCOMPARE(root->value(u"res2"_s).toMap()[u"data"_s].toList().at(0).value<QObject *>(), b);
    // Stream in an async result resolves to the item array in the readable view.
    QCOMPARE(tree.resolvedState()[u"res"_s][u"data"_s], QJsonValue(QJsonArray()));
}

void tst_MusubiStoreTree::markersAddedInsidePlainData()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(
            mountEnvelope(json("{'__musubi_store_id__':[],'plain':{'a':{'b':[1,{'c':2}]}}}"))));
    QVERIFY(!tree.apply(envelope(
            json("[{'op':'add','path':'/plain/a/b/1/s','value':{'__musubi_store_id__':['deep']}},"
                 "{'op':'add','path':'/plain/a/feed','value':{'__musubi_stream__':'feed'}},"
                 "{'op':'add','path':'/plain/a/x','value':{}},"
                 "{'op':'add','path':'/plain/a/x/__musubi_store_id__','value':['late']}]"))));
    MusubiStore *deep = tree.store(QJsonArray{u"deep"_s});
    MusubiStore *late = tree.store(QJsonArray{u"late"_s});
    QVERIFY(deep);
    QVERIFY(late);
    const QVariantMap a = tree.rootStore()->value(u"plain"_s).toMap()[u"a"_s].toMap();
    QCOMPARE(a[u"b"_s].toList().at(1).toMap()[u"s"_s].value<QObject *>(), deep);
    QCOMPARE(a[u"x"_s].value<QObject *>(), late);
    QCOMPARE(a[u"feed"_s].value<QObject *>(), tree.stream(QJsonArray(), u"feed"_s));
    QCOMPARE(
            compact(tree.tree()[u"plain"_s]),
            compact(json(
                    "{'a':{'b':[1,{'c':2,'s':{'__musubi_store_id__':['deep']}}],"
                    "'feed':{'__musubi_stream__':'feed'},'x':{'__musubi_store_id__':['late']}}}")));
    // Removing the marker key turns the store back into plain data.
    QPointer<MusubiStore> gone = late;
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'remove','path':'/plain/a/x/__musubi_store_id__'}]"))));
    QVERIFY(!tree.store(QJsonArray{u"late"_s}));
    QCOMPARE(tree.rootStore()->value(u"plain"_s).toMap()[u"a"_s].toMap()[u"x"_s].toMap(),
             QVariantMap());
    QTRY_VERIFY(!gone);
}

void tst_MusubiStoreTree::singleKeyRule_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("kind"); // stream, upload, map
    QTest::newRow("stream slot") << json("{'__musubi_stream__':'s'}") << u"stream"_s;
    QTest::newRow("upload slot") << json("{'__musubi_upload__':'u'}") << u"upload"_s;
    QTest::newRow("stream marker plus a key")
            << json("{'__musubi_stream__':'s','x':1}") << u"map"_s;
    QTest::newRow("upload marker plus a key")
            << json("{'__musubi_upload__':'u','x':1}") << u"map"_s;
    QTest::newRow("stream marker not a string") << json("{'__musubi_stream__':1}") << u"map"_s;
    QTest::newRow("store id not an array") << json("{'__musubi_store_id__':'x'}") << u"map"_s;
    QTest::newRow("store id with a number") << json("{'__musubi_store_id__':[1]}") << u"map"_s;
}

void tst_MusubiStoreTree::singleKeyRule()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, kind);
    MusubiStoreTree tree;
    QJsonObject root = json("{'__musubi_store_id__':[]}").toObject();
    root.insert(u"v"_s, value);
    QVERIFY(!tree.apply(mountEnvelope(root)));
    const QVariant v = tree.rootStore()->value(u"v"_s);
    QObject *object = v.value<QObject *>();
    if (kind == "stream"_L1) {
        QVERIFY(qobject_cast<MusubiStreamModel *>(object));
    } else if (kind == "upload"_L1) {
        QVERIFY(qobject_cast<MusubiUpload *>(object));
    } else {
        QCOMPARE(v.metaType(), QMetaType::fromType<QVariantMap>());
        QCOMPARE(tree.storeIds().size(), 1);
        QVERIFY(tree.streams().isEmpty());
        QVERIFY(tree.uploads().isEmpty());
    }
}

void tst_MusubiStoreTree::asyncValues_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<bool>("isAsync");
    QTest::addColumn<QString>("status");
    QTest::addColumn<QVariant>("data");
    QTest::addColumn<QVariant>("error");
    QTest::newRow("loading") << json(
            "{'__musubi_async__':true,'status':'loading','result':null,'reason':null}")
                             << true << u"loading"_s << QVariant::fromValue(nullptr)
                             << QVariant::fromValue(nullptr);
    QTest::newRow("loading keeps previous")
            << json("{'__musubi_async__':true,'status':'loading','result':3,'reason':null}") << true
            << u"loading"_s << QVariant(3.0) << QVariant::fromValue(nullptr);
    QTest::newRow("ok") << json(
            "{'__musubi_async__':true,'status':'ok','result':{'n':1},'reason':null}")
                        << true << u"ok"_s << QVariant(QVariantMap{{u"n"_s, 1.0}})
                        << QVariant::fromValue(nullptr);
    QTest::newRow("failed") << json("{'__musubi_async__':true,'status':'failed','result':null,'"
                                    "reason':{'kind':'error','value':'nope'}}")
                            << true << u"failed"_s << QVariant::fromValue(nullptr)
                            << QVariant(QVariantMap{{u"kind"_s, u"error"_s},
                                                    {u"value"_s, u"nope"_s}});
    QTest::newRow("failed with inspect string") << json(
            "{'__musubi_async__':true,'status':'failed','result':null,'reason':'#PID<0.1.0>'}")
                                                << true << u"failed"_s
                                                << QVariant::fromValue(nullptr)
                                                << QVariant(u"#PID<0.1.0>"_s);
    QTest::newRow("reason missing: plain data")
            << json("{'__musubi_async__':true,'status':'ok','result':1}") << false << QString()
            << QVariant() << QVariant();
    QTest::newRow("unknown status: plain data")
            << json("{'__musubi_async__':true,'status':'done','result':1,'reason':null}") << false
            << QString() << QVariant() << QVariant();
    QTest::newRow("flag false: plain data")
            << json("{'__musubi_async__':false,'status':'ok','result':1,'reason':null}") << false
            << QString() << QVariant() << QVariant();
}

void tst_MusubiStoreTree::asyncValues()
{
    QFETCH(QJsonValue, value);
    QFETCH(bool, isAsync);
    QFETCH(QString, status);
    QFETCH(QVariant, data);
    QFETCH(QVariant, error);
    MusubiStoreTree tree;
    QJsonObject root = json("{'__musubi_store_id__':[]}").toObject();
    root.insert(u"v"_s, value);
    QVERIFY(!tree.apply(mountEnvelope(root)));
    const QVariantMap v = tree.rootStore()->value(u"v"_s).toMap();
    if (!isAsync) {
        QVERIFY(v.contains(u"__musubi_async__"_s));
        QVERIFY(!v.contains(u"data"_s));
        return;
    }
    // The store holds the enum; the wire string stays in the tree and the JSON view.
    const std::optional<MusubiAsync::Status> expected = MusubiAsync::statusFromWire(status);
    QVERIFY(expected);
    QCOMPARE(v.value(u"status"_s).metaType(), QMetaType::fromType<MusubiAsync::Status>());
    QCOMPARE(v.value(u"status"_s).value<MusubiAsync::Status>(), *expected);
    QCOMPARE(MusubiAsync::statusOf(tree.rootStore()->value(u"v"_s)), expected);
    QCOMPARE(MusubiAsync::wireStatus(*expected), status);
    QCOMPARE(v.value(u"data"_s), data);
    QCOMPARE(v.value(u"error"_s), error);
    QCOMPARE(v.keys(), (QStringList{u"data"_s, u"error"_s, u"status"_s}));
    QCOMPARE(tree.resolvedState()[u"v"_s][u"status"_s].toString(), status);
    QCOMPARE(tree.tree()[u"v"_s][u"status"_s].toString(), status);
    // Transitions arrive as ordinary replaces.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/v/status','value':'ok'},"
                                      "{'op':'replace','path':'/v/result','value':5},"
                                      "{'op':'replace','path':'/v/reason','value':null}]"))));
    const QVariantMap next = tree.rootStore()->value(u"v"_s).toMap();
    QCOMPARE(next.value(u"status"_s).value<MusubiAsync::Status>(), MusubiAsync::Status::Ok);
    QCOMPARE(next.value(u"data"_s).toDouble(), 5.0);
    QCOMPARE(tree.resolvedState()[u"v"_s][u"status"_s].toString(), u"ok"_s);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/v/status','value':'failed'},"
                                      "{'op':'replace','path':'/v/reason','value':'x'}]"))));
    QCOMPARE(MusubiAsync::statusOf(tree.rootStore()->value(u"v"_s)), MusubiAsync::Status::Failed);
    QCOMPARE(tree.resolvedState()[u"v"_s][u"status"_s].toString(), u"failed"_s);
}

void tst_MusubiStoreTree::signalPrecision_data()
{
    QTest::addColumn<QJsonValue>("ops");
    QTest::addColumn<QStringList>("changed");
    QTest::addColumn<QStringList>("keys");
    QTest::addColumn<QStringList>("listed"); // storesChanged(): changed + stores that appeared
    auto row = [](const char *name, const char *ops, const QStringList &changed,
                  const QStringList &keys, std::optional<QStringList> listed = std::nullopt) {
        QTest::newRow(name) << json(ops) << changed << keys << listed.value_or(changed);
    };
    row("root scalar", "[{'op':'replace','path':'/title','value':'x'}]", {u"root"_s},
        {u"root:title"_s});
    row("same value", "[{'op':'replace','path':'/title','value':'t'}]", {}, {});
    row("changed and changed back",
        "[{'op':'replace','path':'/title','value':'x'},{'op':'replace','path':'/"
        "title','value':'t'}]",
        {}, {});
    row("child changed and changed back",
        "[{'op':'replace','path':'/child/name','value':'x'},{'op':'replace','path':'/child/"
        "name','value':'c'}]",
        {}, {});
    row("added and removed again",
        "[{'op':'add','path':'/meta/z','value':1},{'op':'remove','path':'/meta/z'}]", {}, {});
    row("nested plain object", "[{'op':'replace','path':'/meta/a','value':2}]", {u"root"_s},
        {u"root:meta"_s});
    row("append to plain array", "[{'op':'add','path':'/meta/b/-','value':3}]", {u"root"_s},
        {u"root:meta"_s});
    row("child field", "[{'op':'replace','path':'/child/name','value':'d'}]",
        {u"child"_s, u"root"_s}, {u"child:name"_s});
    row("grandchild field", "[{'op':'replace','path':'/child/deep/v','value':2}]",
        {u"child"_s, u"child/deep"_s, u"root"_s}, {u"child/deep:v"_s});
    row("list child field", "[{'op':'replace','path':'/lines/0/q','value':5}]",
        {u"lines/l1"_s, u"root"_s}, {u"lines/l1:q"_s});
    row("reorder list children",
        "[{'op':'replace','path':'/lines/0','value':{'__musubi_store_id__':['lines','l2'],'q':2}},"
        "{'op':'replace','path':'/lines/1','value':{'__musubi_store_id__':['lines','l1'],'q':1}}]",
        {u"root"_s}, {}); // `lines` keeps its MusubiStoreListModel: rows move, no key write
    row("remove a list child", "[{'op':'remove','path':'/lines/1'}]", {u"root"_s}, {});
    row("new key", "[{'op':'add','path':'/fresh','value':1}]", {u"root"_s}, {});
    row("removed key", "[{'op':'remove','path':'/count'}]", {u"root"_s}, {u"root:count"_s});
    row("identical child node",
        "[{'op':'replace','path':'/child','value':{'__musubi_store_id__':['child'],'name':'c',"
        "'deep':{'__musubi_store_id__':['child','deep'],'v':1},'avatar':{'__musubi_upload__':'"
        "avatar'}}}]",
        {}, {});
    row("child node with one change",
        "[{'op':'replace','path':'/child','value':{'__musubi_store_id__':['child'],'name':'z',"
        "'deep':{'__musubi_store_id__':['child','deep'],'v':1},'avatar':{'__musubi_upload__':'"
        "avatar'}}}]",
        {u"child"_s, u"root"_s}, {u"child:name"_s});
    row("new grandchild store",
        "[{'op':'add','path':'/child/extra','value':{'__musubi_store_id__':['child','x']}}]",
        {u"child"_s, u"root"_s}, {}, QStringList{u"child"_s, u"child/x"_s, u"root"_s});
    row("new store in a list",
        "[{'op':'add','path':'/lines/-','value':{'__musubi_store_id__':['lines','l3'],'q':3}}]",
        {u"root"_s}, {}, QStringList{u"lines/l3"_s, u"root"_s});
    row("store replaced by another",
        "[{'op':'replace','path':'/child','value':{'__musubi_store_id__':['other'],'n':1}}]",
        {u"root"_s}, {u"root:child"_s}, QStringList{u"other"_s, u"root"_s});
    row("identical plain subtree", "[{'op':'replace','path':'/meta','value':{'a':1,'b':[1,2]}}]",
        {}, {});
    row("whole tree with one change",
        "[{'op':'replace','path':'','value':{'__musubi_store_id__':[],'title':'t','count':1,'meta':"
        "{'a':1,'b':[1,2]},"
        "'child':{'__musubi_store_id__':['child'],'name':'c','deep':{'__musubi_store_id__':['child'"
        ",'deep'],'v':9},"
        "'avatar':{'__musubi_upload__':'avatar'}},"
        "'lines':[{'__musubi_store_id__':['lines','l1'],'q':1},{'__musubi_store_id__':['lines','l2'"
        "],'q':2}],"
        "'feed':{'__musubi_stream__':'feed'}}}]",
        {u"child"_s, u"child/deep"_s, u"root"_s}, {u"child/deep:v"_s});
}

void tst_MusubiStoreTree::signalPrecision()
{
    QFETCH(QJsonValue, ops);
    QFETCH(QStringList, changed);
    QFETCH(QStringList, keys);
    QFETCH(QStringList, listed);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    Recorder recorder(&tree);
    const auto error = tree.apply(envelope(ops));
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    QStringList fired = recorder.changed;
    fired.sort();
    QCOMPARE(fired, changed); // also proves "at most once"
    QCOMPARE(recorder.storesChanged.size(), listed.isEmpty() ? 0 : 1);
    if (!listed.isEmpty())
        QCOMPARE(recorder.storesChanged.at(0), listed);
    QCOMPARE(recorder.keysWritten(), keys);
}

// The storesChanged() rule: every store that exists after the envelope and appeared with it,
// changed by value in it, or is named by one of its stream or upload ops. Vanished stores are
// not listed. \a mounted: whether kBase was mounted before the envelope.
void tst_MusubiStoreTree::storesChangedRule_data()
{
    QTest::addColumn<bool>("mounted");
    QTest::addColumn<bool>("made");
    QTest::addColumn<QJsonObject>("next");
    QTest::addColumn<QStringList>("listed");
    QTest::addColumn<QStringList>("removed");
    // Every rule holds whether or not the store objects exist: each row runs twice.
    struct Row
    {
        const char *name;
        bool mounted;
        QJsonObject next;
        QStringList listed, removed;
    };
    QList<Row> rows;
    struct Adder
    {
        QList<Row> *rows = nullptr;
        const char *name = nullptr;
        bool mounted = false;
        QJsonObject next;
        QStringList listed;
        Adder &operator<<(bool value)
        {
            mounted = value;
            return *this;
        }
        Adder &operator<<(const QJsonObject &value)
        {
            next = value;
            return *this;
        }
        Adder &operator<<(const QStringList &value)
        {
            if (!haveListed) {
                listed = value;
                haveListed = true;
            } else {
                rows->append({name, mounted, next, listed, value});
            }
            return *this;
        }
        bool haveListed = false;
    };
    const auto newRow = [&rows](const char *name) {
        Adder adder;
        adder.rows = &rows;
        adder.name = name;
        return adder;
    };
    const QStringList all{u"child"_s, u"child/deep"_s, u"lines/l1"_s, u"lines/l2"_s, u"root"_s};
    newRow("initial mount") << false << mountEnvelope(json(kBase)) << all << QStringList();
    newRow("identical rejoin") << true << mountEnvelope(json(kBase)) << QStringList()
                               << QStringList();
    newRow("child mount")
            << true
            << envelope(
                       json("[{'op':'add','path':'/panel','value':{'__musubi_store_id__':['panel'],"
                            "'open':true}}]"))
            << QStringList{u"panel"_s, u"root"_s} << QStringList();
    newRow("child unmount") << true
                            << envelope(json("[{'op':'replace','path':'/child','value':null}]"))
                            << QStringList{u"root"_s} << QStringList{u"child"_s, u"child/deep"_s};
    newRow("grandchild unmount") << true << envelope(json("[{'op':'remove','path':'/child/deep'}]"))
                                 << QStringList{u"child"_s, u"root"_s}
                                 << QStringList{u"child/deep"_s};
    newRow("stream op on a new store")
            << true
            << envelope(
                       json("[{'op':'add','path':'/panel','value':{'__musubi_store_id__':['panel'],"
                            "'log':{'__musubi_stream__':'log'}}}]"),
                       json("[{'op':'insert','stream':'log','ref':'0','store_id':['panel'],"
                            "'item_key':'a','at':-1,'item':1,'limit':null}]"))
            << QStringList{u"panel"_s, u"root"_s} << QStringList();
    newRow("upload op on a new store")
            << true
            << envelope(
                       json("[{'op':'add','path':'/panel','value':{'__musubi_store_id__':['panel'],"
                            "'file':{'__musubi_upload__':'file'}}}]"),
                       QJsonArray(),
                       json("[{'op':'config','upload':'file','store_id':['panel'],"
                            "'config':{'accept':'any','max_entries':2,'max_file_size':10,"
                            "'chunk_size':5}}]"))
            << QStringList{u"panel"_s, u"root"_s} << QStringList();
    newRow("stream op only")
            << true
            << envelope(QJsonArray(),
                        json("[{'op':'insert','stream':'feed','ref':'0','store_id':[],"
                             "'item_key':'a','at':-1,'item':1,'limit':null}]"))
            << QStringList{u"root"_s} << QStringList();
    newRow("upload op only on a child")
            << true
            << envelope(QJsonArray(), QJsonArray(),
                        json("[{'op':'config','upload':'avatar','store_id':['child'],"
                             "'config':{'accept':'any','max_entries':3,'max_file_size':10,"
                             "'chunk_size':5}}]"))
            << QStringList{u"child"_s} << QStringList();
    newRow("event only") << true << envelope(QJsonArray()) << QStringList() << QStringList();
    newRow("plain field of a child")
            << true << envelope(json("[{'op':'replace','path':'/child/deep/v','value':5}]"))
            << QStringList{u"child"_s, u"child/deep"_s, u"root"_s} << QStringList();
    newRow("changed and changed back")
            << true
            << envelope(json("[{'op':'replace','path':'/child/deep/v','value':5},"
                             "{'op':'replace','path':'/child/deep/v','value':1}]"))
            << QStringList() << QStringList();
    newRow("row field of a list") << true
                                  << envelope(json(
                                             "[{'op':'replace','path':'/lines/1/q','value':7}]"))
                                  << QStringList{u"lines/l2"_s, u"root"_s} << QStringList();
    newRow("row added to a list") << true
                                  << envelope(
                                             json("[{'op':'add','path':'/lines/1','value':"
                                                  "{'__musubi_store_id__':['lines','l9'],'q':9}}]"))
                                  << QStringList{u"lines/l9"_s, u"root"_s} << QStringList();
    newRow("node replaced, then its field changed back")
            << true
            << envelope(json("[{'op':'replace','path':'/lines/0','value':"
                             "{'__musubi_store_id__':['lines','l1'],'q':5}},"
                             "{'op':'replace','path':'/lines/0/q','value':1}]"))
            << QStringList{u"root"_s} << QStringList();
    newRow("identical field replace")
            << true << envelope(json("[{'op':'replace','path':'/lines/0/q','value':1}]"))
            << QStringList() << QStringList();
    for (const Row &row : std::as_const(rows)) {
        for (bool made : {false, true}) {
            QTest::addRow("%s (%s)", row.name, made ? "objects made" : "no objects")
                    << row.mounted << made << row.next << row.listed << row.removed;
        }
    }
}

void tst_MusubiStoreTree::storesChangedRule()
{
    QFETCH(bool, mounted);
    QFETCH(bool, made);
    QFETCH(QJsonObject, next);
    QFETCH(QStringList, listed);
    QFETCH(QStringList, removed);
    MusubiStoreTree tree;
    if (mounted)
        QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QStringList changedObjects;
    if (made) {
        const QList<QJsonArray> ids = tree.storeIds();
        for (const QJsonArray &id : ids) {
            connect(tree.store(id), &MusubiStore::changed, this,
                    [&changedObjects, id] { changedObjects.append(idName(id)); });
        }
    } else if (mounted) {
        QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l1"_s}));
    }
    QSignalSpy changedSpy(&tree, &MusubiStoreTree::storesChanged);
    QSignalSpy removedSpy(&tree, &MusubiStoreTree::storesRemoved);
    bool allExistAtSignal = true;
    connect(&tree, &MusubiStoreTree::storesChanged, this, [&](const QList<QJsonArray> &ids) {
        for (const QJsonArray &id : ids)
            allExistAtSignal = allExistAtSignal && tree.store(id);
        // Parents first.
        for (qsizetype i = 1; i < ids.size(); ++i)
            allExistAtSignal = allExistAtSignal && ids.at(i - 1).size() <= ids.at(i).size();
    });
    const auto error = tree.apply(next);
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    auto names = [](const QList<QJsonArray> &ids) {
        QStringList out;
        for (const QJsonArray &id : ids)
            out.append(idName(id));
        out.sort();
        return out;
    };
    QCOMPARE(changedSpy.size(), listed.isEmpty() ? 0 : 1);
    if (!listed.isEmpty())
        QCOMPARE(names(changedSpy.at(0).at(0).value<QList<QJsonArray>>()), listed);
    QVERIFY(allExistAtSignal);
    QCOMPARE(removedSpy.size(), removed.isEmpty() ? 0 : 1);
    if (!removed.isEmpty())
        QCOMPARE(names(removedSpy.at(0).at(0).value<QList<QJsonArray>>()), removed);
    if (made) {
        // changed() fired for exactly the listed stores that existed before the envelope.
        QStringList expected;
        for (const QString &name : std::as_const(listed)) {
            if (mounted && name != u"panel"_s && name != u"lines/l9"_s)
                expected.append(name);
        }
        changedObjects.sort();
        QCOMPARE(changedObjects, expected);
    }
}

void tst_MusubiStoreTree::identicalReplaceEmitsNothing()
{
    MusubiStoreTree tree;
    QJsonObject insert{
            {u"op"_s, u"insert"_s},    {u"stream"_s, u"feed"_s}, {u"store_id"_s, QJsonArray()},
            {u"item_key"_s, u"k"_s},   {u"item"_s, 1},           {u"at"_s, -1},
            {u"limit"_s, QJsonValue()}};
    QVERIFY(!tree.apply(mountEnvelope(json(kBase), QJsonArray{insert})));
    const QList<QJsonArray> ids = tree.storeIds();
    QList<QPointer<MusubiStore>> stores;
    for (const QJsonArray &id : ids)
        stores.append(tree.store(id));
    MusubiStreamModel *feed = tree.stream({}, u"feed"_s);
    Recorder recorder(&tree);
    QSignalSpy added(&tree, &MusubiStoreTree::storesAdded);
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QSignalSpy rows(feed, &QAbstractItemModel::rowsInserted);
    // A rejoin sends the same tree again.
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QVERIFY(recorder.changed.isEmpty());
    QVERIFY(recorder.storesChanged.isEmpty());
    QVERIFY(recorder.keysWritten().isEmpty());
    QCOMPARE(added.size(), 0);
    QCOMPARE(removed.size(), 0);
    QCOMPARE(rows.size(), 0);
    for (qsizetype i = 0; i < ids.size(); ++i)
        QCOMPARE(tree.store(ids.at(i)), stores.at(i).data());
    QCOMPARE(tree.stream({}, u"feed"_s), feed);
    QCOMPARE(feed->count(), 1);
}

void tst_MusubiStoreTree::signalOrder()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QStringList order;
    MusubiStore *root = tree.rootStore();
    MusubiStore *child = tree.store(QJsonArray{u"child"_s});
    MusubiStreamModel *feed = tree.stream({}, u"feed"_s);
    connect(root, &MusubiStore::changed, this, [&] {
        order.append(u"root"_s);
        // Everything of the envelope is visible by then.
        QCOMPARE(child->value(u"name"_s).toString(), u"n"_s);
        QCOMPARE(feed->count(), 1);
    });
    connect(child, &MusubiStore::changed, this, [&] { order.append(u"child"_s); });
    connect(feed, &QAbstractItemModel::rowsInserted, this, [&] { order.append(u"rows"_s); });
    connect(&tree, &MusubiStoreTree::storesChanged, this,
            [&] { order.append(u"storesChanged"_s); });
    QJsonObject insert{
            {u"op"_s, u"insert"_s},  {u"stream"_s, u"feed"_s}, {u"store_id"_s, QJsonArray()},
            {u"item_key"_s, u"k"_s}, {u"item"_s, 1},           {u"at"_s, -1}};
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/child/name','value':'n'}]"),
                                 QJsonArray{insert})));
    QCOMPARE(order, (QStringList{u"rows"_s, u"root"_s, u"child"_s, u"storesChanged"_s}));
}

void tst_MusubiStoreTree::pruning()
{
    MusubiStoreTree tree;
    QJsonObject insert{{u"op"_s, u"insert"_s},
                       {u"stream"_s, u"rows"_s},
                       {u"store_id"_s, QJsonArray{u"child"_s}},
                       {u"item_key"_s, u"k"_s},
                       {u"item"_s, 1},
                       {u"at"_s, -1}};
    QVERIFY(!tree.apply(mountEnvelope(json(kBase), QJsonArray{insert})));
    QPointer<MusubiStore> child = tree.store(QJsonArray{u"child"_s});
    QPointer<MusubiStore> deep = tree.store(QJsonArray{u"child"_s, u"deep"_s});
    QPointer<MusubiStreamModel> rows = tree.stream(QJsonArray{u"child"_s}, u"rows"_s);
    QPointer<MusubiUpload> avatar = tree.upload(QJsonArray{u"child"_s}, u"avatar"_s);
    QVERIFY(child && deep && rows && avatar);
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QSignalSpy rootChanged(tree.rootStore(), &MusubiStore::changed);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/child','value':null}]"))));
    QCOMPARE(rootChanged.size(), 1);
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).value<QList<QJsonArray>>().size(), 2);
    QVERIFY(!tree.store(QJsonArray{u"child"_s}));
    QVERIFY(!tree.stream(QJsonArray{u"child"_s}, u"rows"_s));
    QVERIFY(!tree.upload(QJsonArray{u"child"_s}, u"avatar"_s));
    QVERIFY(child); // deleted later, never under a running slot
    QVERIFY(!child->isAlive());
    QVERIFY(!child->tree());
    QVERIFY(tree.rootStore()->value(u"child"_s).isNull());
    QTRY_VERIFY(!child);
    QVERIFY(!deep && !rows && !avatar);
    // A store that reappears starts fresh.
    QVERIFY(!tree.apply(envelope(
            json("[{'op':'replace','path':'/child','value':{'__musubi_store_id__':['child'],"
                 "'rows':{'__musubi_stream__':'rows'}}}]"))));
    MusubiStore *again = tree.store(QJsonArray{u"child"_s});
    QVERIFY(again);
    QCOMPARE(tree.stream(QJsonArray{u"child"_s}, u"rows"_s)->count(), 0);
    QCOMPARE(tree.rootStore()->value(u"child"_s).value<QObject *>(), again);
}

void tst_MusubiStoreTree::storeIdEditedInPlace()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QPointer<MusubiStore> l2 = tree.store(QJsonArray{u"lines"_s, u"l2"_s});
    // What a per-index diff produces when l2 is replaced by l3 at the same index.
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'replace','path':'/lines/1/__musubi_store_id__/1','value':'l3'},"
                          "{'op':'replace','path':'/lines/1/q','value':3}]"))));
    QVERIFY(!tree.store(QJsonArray{u"lines"_s, u"l2"_s}));
    MusubiStore *l3 = tree.store(QJsonArray{u"lines"_s, u"l3"_s});
    QVERIFY(l3);
    QCOMPARE(l3->value(u"q"_s).toInt(), 3);
    auto *lines = qobject_cast<MusubiStoreListModel *>(
            tree.rootStore()->value(u"lines"_s).value<QObject *>());
    QVERIFY(lines);
    QCOMPARE(lines->get(1), l3);
    QTRY_VERIFY(!l2);
}

void tst_MusubiStoreTree::atomicityOfStoreIndex()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    const QJsonObject before = tree.tree();
    MusubiStore *child = tree.store(QJsonArray{u"child"_s});
    MusubiStore *l1 = tree.store(QJsonArray{u"lines"_s, u"l1"_s});
    Recorder recorder(&tree);
    QSignalSpy added(&tree, &MusubiStoreTree::storesAdded);
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused envelope"_s));
    const auto error = tree.apply(
            envelope(json("[{'op':'remove','path':'/child'},"
                          "{'op':'add','path':'/other','value':{'__musubi_store_id__':['other']}},"
                          "{'op':'replace','path':'/lines/0/__musubi_store_id__/1','value':'zz'},"
                          "{'op':'replace','path':'','value':{'__musubi_store_id__':[]}},"
                          "{'op':'remove','path':'/nope'}]")));
    QVERIFY(error);
    QCOMPARE(error->opIndex, 4);
    QCOMPARE(compact(tree.tree()), compact(before));
    QCOMPARE(tree.store(QJsonArray{u"child"_s}), child);
    QCOMPARE(tree.store(QJsonArray{u"lines"_s, u"l1"_s}), l1);
    QVERIFY(!tree.store(QJsonArray{u"other"_s}));
    QVERIFY(!tree.store(QJsonArray{u"lines"_s, u"zz"_s}));
    QVERIFY(child->isAlive());
    QCOMPARE(tree.storeIds().size(), 5);
    QVERIFY(recorder.changed.isEmpty());
    QVERIFY(recorder.keysWritten().isEmpty());
    QCOMPARE(added.size() + removed.size(), 0);
    // The index still matches the tree: later ops find the stores.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/lines/0/q','value':8}]"))));
    QCOMPARE(l1->value(u"q"_s).toInt(), 8);
}

// A server renders every store id once. A hostile one may render an id twice: the store
// lives while any copy remains and follows the copy that is left.
void tst_MusubiStoreTree::duplicateStoreIds()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QPointer<MusubiStore> child = tree.store(QJsonArray{u"child"_s});
    QVERIFY(child);
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"rendered more than once"_s));
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'add','path':'/"
                          "copy','value':{'__musubi_store_id__':['child'],'name':'copy'}}]"))));
    QCOMPARE(tree.store(QJsonArray{u"child"_s}), child.data());
    QCOMPARE(child->value(u"name"_s).toString(), u"copy"_s); // the last copy entered

    // A refused envelope that removes the copy leaves the duplicate count intact.
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"refused envelope"_s));
    QVERIFY(tree.apply(envelope(json("[{'op':'remove','path':'/copy'},"
                                     "{'op':'remove','path':'/nope'}]"))));
    QCOMPARE(child->value(u"name"_s).toString(), u"copy"_s);

    // The indexed copy leaves: the store stays, on the copy that is left.
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/copy'}]"))));
    QCOMPARE(tree.store(QJsonArray{u"child"_s}), child.data());
    QVERIFY(child->isAlive());
    QCOMPARE(child->value(u"name"_s).toString(), u"c"_s);
    QCOMPARE(removed.size(), 0);
    // Ops on the remaining copy reach the store.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/child/name','value':'n'}]"))));
    QCOMPARE(child->value(u"name"_s).toString(), u"n"_s);

    // Twice again, and the copy that is not indexed leaves: nothing changes for the store.
    // (Twice only within the envelope: not warned, see reorderByIndexDoesNotWarn().)
    QVERIFY(!tree.apply(envelope(json(
            "[{'op':'add','path':'/copy','value':{'__musubi_store_id__':['child'],'name':'copy'}},"
            "{'op':'replace','path':'/copy/__musubi_store_id__/0','value':'other'}]"))));
    QCOMPARE(child->value(u"name"_s).toString(), u"n"_s);
    QVERIFY(tree.store(QJsonArray{u"other"_s}));
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/copy'}]"))));
    QCOMPARE(tree.store(QJsonArray{u"child"_s}), child.data());
    QVERIFY(!tree.store(QJsonArray{u"other"_s}));

    // The last copy leaves: the store goes.
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/child'}]"))));
    QVERIFY(!tree.store(QJsonArray{u"child"_s}));
    QCOMPARE(removed.size(), 2);
}

void tst_MusubiStoreTree::uploads()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    Recorder recorder(&tree);
    QVERIFY(!tree.apply(envelope(QJsonArray(), QJsonArray(),
                                 json("[{'op':'config','upload':'avatar','store_id':['child'],'"
                                      "config':{'accept':'any'}},"
                                      "{'op':'bogus','upload':'avatar','store_id':['child']},"
                                      "7,"
                                      "{'op':'reset','upload':'other','store_id':['gone']}]")
                                         .toArray())));
    QCOMPARE(recorder.changed, QStringList{u"child"_s});
    QVERIFY(!tree.upload(QJsonArray{u"gone"_s}, u"other"_s));
}

// Numbers in upload ops may be any JSON number; out-of-range ones are clamped, never cast.
void tst_MusubiStoreTree::uploadNumbersFromTheWire()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QVERIFY(!tree.apply(envelope(
            QJsonArray(), QJsonArray(),
            json("[{'op':'config','upload':'avatar','store_id':['child'],'config':{'accept':'any',"
                 "'max_entries':1e300,'max_file_size':1e300,'chunk_size':-5}},"
                 "{'op':'add','upload':'avatar','store_id':['child'],'ref':'u1','entry':{'ref':'u1'"
                 ","
                 "'client_name':'a','client_size':1e300,'progress':1e30,'status':'pending',"
                 "'errors':[]}},"
                 "{'op':'add','upload':'avatar','store_id':['child'],'ref':'u2','entry':{'ref':'u2'"
                 ","
                 "'client_name':'b','client_size':12.7,'progress':-3,'status':'pending',"
                 "'errors':[]}}]")
                    .toArray())));
    MusubiUpload *avatar = tree.upload(QJsonArray{u"child"_s}, u"avatar"_s);
    QVERIFY(avatar);
    QCOMPARE(avatar->maxEntries(), std::numeric_limits<int>::max());
    QCOMPARE(avatar->maxFileSize(), qint64(1) << 53);
    QCOMPARE(avatar->chunkSize(), 0);
    const MusubiUploadEntryModel *entries = avatar->entryModel();
    QCOMPARE(entries->get(u"u1"_s).value(u"clientSize"_s).toLongLong(), qint64(1) << 53);
    QCOMPARE(entries->get(u"u1"_s).value(u"progress"_s).toInt(), 100);
    QCOMPARE(entries->get(u"u2"_s).value(u"clientSize"_s).toLongLong(), 12);
    QCOMPARE(entries->get(u"u2"_s).value(u"progress"_s).toInt(), 0);
    QVERIFY(!tree.apply(envelope(QJsonArray(), QJsonArray(),
                                 json("[{'op':'progress','upload':'avatar','store_id':['child'],"
                                      "'ref':'u2','progress':1e300}]")
                                         .toArray())));
    QCOMPARE(entries->get(u"u2"_s).value(u"progress"_s).toInt(), 100);
}

void tst_MusubiStoreTree::dispatch()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    MusubiStore *child = tree.store(QJsonArray{u"child"_s});
    QFuture<QJsonValue> none = child->dispatch(u"save"_s, {{u"a"_s, 1}});
    QVERIFY(none.isFinished());
    try {
        none.waitForFinished();
        QFAIL("no exception");
    } catch (const MusubiCommandError &error) {
        QCOMPARE(error.kind(), MusubiCommandError::Kind::NotConnected);
        QCOMPARE(error.command(), u"save"_s);
        QCOMPARE(error.storeId(), QJsonArray{u"child"_s});
    }
    QJsonArray seenId;
    QString seenName;
    QJsonObject seenPayload;
    tree.setCommandDispatcher(
            [&](const QJsonArray &id, const QString &name, const QJsonObject &payload) {
                seenId = id;
                seenName = name;
                seenPayload = payload;
                QFutureInterface<QJsonValue> fi;
                fi.reportStarted();
                fi.reportResult(QJsonValue(42));
                fi.reportFinished();
                return fi.future();
            });
    QFuture<QJsonValue> ok = child->dispatch(u"save"_s, {{u"a"_s, 1}});
    QCOMPARE(ok.result(), QJsonValue(42));
    QCOMPARE(seenId, QJsonArray{u"child"_s});
    QCOMPARE(seenName, u"save"_s);
    QCOMPARE(seenPayload.value(u"a"_s).toInt(), 1);
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/child'}]"))));
    QFuture<QJsonValue> gone = child->dispatch(u"save"_s);
    try {
        gone.waitForFinished();
        QFAIL("no exception");
    } catch (const MusubiCommandError &error) {
        QCOMPARE(error.kind(), MusubiCommandError::Kind::Unmounted);
    }
}

void tst_MusubiStoreTree::events()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QSignalSpy spy(tree.rootStore(), &MusubiStore::eventReceived);
    tree.rootStore()->deliverEvent(u"toast"_s, QJsonObject{{u"m"_s, u"hi"_s}});
    QCOMPARE(spy.size(), 1);
    QCOMPARE(spy.at(0).at(0).toJsonArray(), QJsonArray());
    QCOMPARE(spy.at(0).at(1).toString(), u"toast"_s);
    QCOMPARE(spy.at(0).at(2).value<QJsonValue>()[u"m"_s], QJsonValue(u"hi"_s));
}

void tst_MusubiStoreTree::reservedKeys()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(
            mountEnvelope(json("{'__musubi_store_id__':[],'keys':1,'destroyed':2,'ok':3}"))));
    QCOMPARE(tree.rootStore()->value(u"ok"_s).toInt(), 3);
    QVERIFY(!tree.rootStore()->contains(u"keys"_s));
    QSignalSpy changed(tree.rootStore(), &MusubiStore::changed);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/keys','value':5}]"))));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(tree.resolvedState()[u"keys"_s].toInt(), 5);
}

void tst_MusubiStoreTree::keysChanged()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QSignalSpy keys(tree.rootStore(), &MusubiStore::keysChanged);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/title','value':'x'}]"))));
    QCOMPARE(keys.size(), 0);
    QVERIFY(!tree.apply(envelope(json(
            "[{'op':'add','path':'/fresh','value':1},{'op':'add','path':'/fresh2','value':2}]"))));
    QCOMPARE(keys.size(), 1);
    QVERIFY(tree.rootStore()->keys().contains(u"fresh2"_s));
}

void tst_MusubiStoreTree::jsonContainers()
{
    MusubiStoreTree tree;
    tree.setPlainValues(MusubiStoreTree::PlainValues::JsonContainers);
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    MusubiStore *root = tree.rootStore();
    QCOMPARE(root->value(u"meta"_s).metaType(), QMetaType::fromType<QJsonObject>());
    QCOMPARE(root->value(u"meta"_s).toJsonObject()[u"a"_s].toInt(), 1);
    // Containers holding markers are still resolved (a list of stores is a model).
    QVERIFY(qobject_cast<MusubiStoreListModel *>(root->value(u"lines"_s).value<QObject *>()));
    Recorder recorder(&tree);
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'replace','path':'/meta','value':{'a':1,'b':[1,2]}}]"))));
    QVERIFY(recorder.keysWritten().isEmpty());
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/meta/a','value':3}]"))));
    QCOMPARE(recorder.keysWritten(), QStringList{u"root:meta"_s});
    QCOMPARE(root->value(u"meta"_s).toJsonObject()[u"a"_s].toInt(), 3);
}

void tst_MusubiStoreTree::clear()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QPointer<MusubiStore> root = tree.rootStore();
    QSignalSpy rootChanged(&tree, &MusubiStoreTree::rootStoreChanged);
    tree.clear();
    QVERIFY(!tree.rootStore());
    QVERIFY(tree.storeIds().isEmpty());
    QVERIFY(tree.streams().isEmpty());
    QVERIFY(tree.uploads().isEmpty());
    QVERIFY(tree.tree().isEmpty());
    QCOMPARE(rootChanged.size(), 1);
    QTRY_VERIFY(!root);
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QVERIFY(tree.rootStore());
}

QTEST_GUILESS_MAIN(tst_MusubiStoreTree)
namespace {

QJsonObject listStore(const QStringList &ids)
{
    QJsonArray rows;
    for (const QString &id : ids)
        rows.append(QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"rows"_s, id}},
                                {u"label"_s, u"row "_s + id}});
    return QJsonObject{{u"__musubi_store_id__"_s, QJsonArray()}, {u"rows"_s, rows}};
}

QStringList rowNames(const MusubiStoreListModel *model)
{
    QStringList out;
    for (int row = 0; row < model->count(); ++row)
        out.append(model->storeIdAt(row).at(1).toString());
    return out;
}

} // namespace

void tst_MusubiStoreTree::storesOnDemand()
{
    MusubiStoreTree tree;
    QSignalSpy added(&tree, &MusubiStoreTree::storesAdded);
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    // The index knows every store; no object exists until someone asks.
    QCOMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(0).value<QList<QJsonArray>>().size(), 5);
    QCOMPARE(tree.storeIds().size(), 5);
    for (const QJsonArray &id : tree.storeIds()) {
        QVERIFY(tree.contains(id));
        QVERIFY2(!tree.existingStore(id), qPrintable(idName(id)));
    }
    QVERIFY(!tree.contains(QJsonArray{u"nope"_s}));
    QVERIFY(!tree.store(QJsonArray{u"nope"_s}));
    // The root makes the stores its fields hold directly; a list of stores is a model
    // whose rows are made when read.
    MusubiStore *root = tree.rootStore();
    QVERIFY(root);
    QCOMPARE(tree.existingStore(QJsonArray()), root);
    QVERIFY(tree.existingStore(QJsonArray{u"child"_s}));
    QVERIFY(tree.existingStore(QJsonArray{u"child"_s, u"deep"_s}));
    QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l1"_s}));
    auto *lines = qobject_cast<MusubiStoreListModel *>(root->value(u"lines"_s).value<QObject *>());
    QVERIFY(lines);
    QCOMPARE(lines->count(), 2);
    QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l1"_s}));
    const QModelIndex first = lines->index(0, 0);
    QCOMPARE(lines->data(first, MusubiStoreListModel::StoreIdRole).value<QJsonArray>(),
             (QJsonArray{u"lines"_s, u"l1"_s}));
    QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l1"_s}));
    auto *l1 = qobject_cast<MusubiStore *>(
            lines->data(first, MusubiStoreListModel::StoreRole).value<QObject *>());
    QVERIFY(l1);
    QCOMPARE(tree.existingStore(QJsonArray{u"lines"_s, u"l1"_s}), l1);
    QCOMPARE(l1->value(u"q"_s).toInt(), 1);
    QCOMPARE(tree.store(QJsonArray{u"lines"_s, u"l1"_s}), l1);
    QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l2"_s}));

    // An event for a store without an object makes none (nobody can listen to it).
    QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l2"_s}));
    // A stream op for a store without an object keeps its rows for later.
    QVERIFY(!tree.apply(envelope(
            json("[{'op':'add','path':'/lines/1/log','value':{'__musubi_stream__':'log'}}]"),
            json("[{'op':'insert','stream':'log','ref':'0','store_id':['lines','l2'],"
                 "'item_key':'a','at':-1,'item':{'n':1},'limit':null}]"))));
    QVERIFY(!tree.existingStore(QJsonArray{u"lines"_s, u"l2"_s}));
    MusubiStreamModel *log = tree.stream(QJsonArray{u"lines"_s, u"l2"_s}, u"log"_s);
    QVERIFY(log);
    QCOMPARE(log->count(), 1);
    MusubiStore *l2 = tree.existingStore(QJsonArray{u"lines"_s, u"l2"_s});
    QVERIFY(l2);
    QCOMPARE(l2->value(u"log"_s).value<QObject *>(), log);
}

void tst_MusubiStoreTree::storeMadeLateShowsCurrentState()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QSignalSpy changed(&tree, &MusubiStoreTree::storesChanged);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/lines/0/q','value':10},"
                                      "{'op':'add','path':'/lines/0/extra','value':[1,2]}]"))));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).value<QList<QJsonArray>>(),
             (QList<QJsonArray>{QJsonArray(), QJsonArray{u"lines"_s, u"l1"_s}}));
    MusubiStore *l1 = tree.store(QJsonArray{u"lines"_s, u"l1"_s});
    QVERIFY(l1);
    QCOMPARE(l1->value(u"q"_s).toInt(), 10);
    QCOMPARE(l1->value(u"extra"_s).toList(), (QVariantList{1, 2}));
    QCOMPARE(l1->revision(), 0);
    // From now on the object follows the envelopes like any other.
    QSignalSpy l1Changed(l1, &MusubiStore::changed);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/lines/0/q','value':11}]"))));
    QCOMPARE(l1Changed.size(), 1);
    QCOMPARE(l1->value(u"q"_s).toInt(), 11);
    // A store made by a handler in the middle of an envelope's signals shows that
    // envelope's state and gets no changed() for it.
    QPointer<MusubiStore> l2;
    int l2Changes = 0;
    connect(&tree, &MusubiStoreTree::storesChanged, this, [&] {
        if (!l2) {
            l2 = tree.store(QJsonArray{u"lines"_s, u"l2"_s});
            connect(l2, &MusubiStore::changed, this, [&l2Changes] { ++l2Changes; });
        }
    });
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/lines/1/q','value':20}]"))));
    QVERIFY(l2);
    QCOMPARE(l2->value(u"q"_s).toInt(), 20);
    QCOMPARE(l2Changes, 0);
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/lines/1/q','value':21}]"))));
    QCOMPARE(l2Changes, 1);
}

void tst_MusubiStoreTree::prunedStoreLearnsItIsGone()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(json(kBase))));
    QPointer<MusubiStore> l2 = tree.store(QJsonArray{u"lines"_s, u"l2"_s});
    QVERIFY(l2);
    QVERIFY(l2->isAlive());
    QSignalSpy alive(l2.data(), &MusubiStore::aliveChanged);
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/lines/1'},"
                                      "{'op':'remove','path':'/lines/0'}]"))));
    QCOMPARE(alive.size(), 1);
    QVERIFY(!l2->isAlive());
    QVERIFY(!l2->tree());
    QCOMPARE(removed.size(), 1);
    // Listed whether or not the object existed.
    QCOMPARE(removed.at(0).at(0).value<QList<QJsonArray>>().size(), 2);
    QVERIFY(!tree.store(QJsonArray{u"lines"_s, u"l2"_s}));
    QTRY_VERIFY(!l2);
}

void tst_MusubiStoreTree::storeList_data()
{
    QTest::addColumn<QStringList>("before");
    QTest::addColumn<QJsonArray>("ops");
    QTest::addColumn<QStringList>("after");
    QTest::addColumn<int>("inserted");
    QTest::addColumn<int>("removed");
    QTest::addColumn<int>("moved");
    const QStringList abcd{u"a"_s, u"b"_s, u"c"_s, u"d"_s};
    const auto row = [](const QString &id) {
        return QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"rows"_s, id}},
                           {u"label"_s, u"row "_s + id}};
    };
    const auto op = [](const char *kind, const QString &path, const QJsonValue &value = {}) {
        QJsonObject out{{u"op"_s, QString::fromLatin1(kind)}, {u"path"_s, path}};
        if (QLatin1StringView(kind) != "remove"_L1)
            out.insert(u"value"_s, value);
        return out;
    };
    const auto replaceAll = [&](const QStringList &ids) {
        QJsonArray rows;
        for (const QString &id : ids)
            rows.append(row(id));
        return QJsonArray{op("replace", u"/rows"_s, rows)};
    };
    QTest::newRow("add at an index")
            << abcd << QJsonArray{op("add", u"/rows/2"_s, row(u"x"_s))}
            << QStringList{u"a"_s, u"b"_s, u"x"_s, u"c"_s, u"d"_s} << 1 << 0 << 0;
    QTest::newRow("append") << abcd << QJsonArray{op("add", u"/rows/-"_s, row(u"x"_s))}
                            << QStringList{u"a"_s, u"b"_s, u"c"_s, u"d"_s, u"x"_s} << 1 << 0 << 0;
    QTest::newRow("remove at an index") << abcd << QJsonArray{op("remove", u"/rows/1"_s)}
                                        << QStringList{u"a"_s, u"c"_s, u"d"_s} << 0 << 1 << 0;
    QTest::newRow("replace one row by another")
            << abcd << QJsonArray{op("replace", u"/rows/1"_s, row(u"y"_s))}
            << QStringList{u"a"_s, u"y"_s, u"c"_s, u"d"_s} << 1 << 1 << 0;
    QTest::newRow("whole array, same rows") << abcd << replaceAll(abcd) << abcd << 0 << 0 << 0;
    QTest::newRow("whole array, last to first")
            << abcd << replaceAll({u"d"_s, u"a"_s, u"b"_s, u"c"_s})
            << QStringList{u"d"_s, u"a"_s, u"b"_s, u"c"_s} << 0 << 0 << 1;
    QTest::newRow("whole array, first to last")
            << abcd << replaceAll({u"b"_s, u"c"_s, u"d"_s, u"a"_s})
            << QStringList{u"b"_s, u"c"_s, u"d"_s, u"a"_s} << 0 << 0 << 1;
    QTest::newRow("whole array, reversed")
            << abcd << replaceAll({u"d"_s, u"c"_s, u"b"_s, u"a"_s})
            << QStringList{u"d"_s, u"c"_s, u"b"_s, u"a"_s} << 0 << 0 << 3;
    QTest::newRow("whole array, mixed")
            << abcd << replaceAll({u"x"_s, u"c"_s, u"a"_s, u"y"_s, u"d"_s})
            << QStringList{u"x"_s, u"c"_s, u"a"_s, u"y"_s, u"d"_s} << 2 << 1 << 1;
    QTest::newRow("whole array, all new")
            << abcd << replaceAll({u"p"_s, u"q"_s}) << QStringList{u"p"_s, u"q"_s} << 1 << 1 << 0;
    QTest::newRow("several ops") << abcd
                                 << QJsonArray{op("remove", u"/rows/0"_s),
                                               op("add", u"/rows/-"_s, row(u"e"_s)),
                                               op("add", u"/rows/0"_s, row(u"z"_s))}
                                 << QStringList{u"z"_s, u"b"_s, u"c"_s, u"d"_s, u"e"_s} << 2 << 1
                                 << 0;
}

void tst_MusubiStoreTree::storeList()
{
    QFETCH(QStringList, before);
    QFETCH(QJsonArray, ops);
    QFETCH(QStringList, after);
    QFETCH(int, inserted);
    QFETCH(int, removed);
    QFETCH(int, moved);
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(listStore(before))));
    auto *model = qobject_cast<MusubiStoreListModel *>(
            tree.rootStore()->value(u"rows"_s).value<QObject *>());
    QVERIFY(model);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(rowNames(model), before);
    QCOMPARE(model->roleNames().value(MusubiStoreListModel::StoreRole), QByteArray("store"));
    QCOMPARE(model->roleNames().value(MusubiStoreListModel::StoreIdRole), QByteArray("storeId"));
    QCOMPARE(model->name(), u"rows"_s);
    QCOMPARE(model->storeIdJson(), QJsonArray());
    // Rows a view already made keep their objects through the change.
    QHash<QString, QPointer<MusubiStore>> made;
    for (int row = 0; row < model->count(); ++row)
        made.insert(before.at(row), model->get(row));
    QSignalSpy inserts(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removes(model, &QAbstractItemModel::rowsRemoved);
    QSignalSpy moves(model, &QAbstractItemModel::rowsMoved);
    QSignalSpy resets(model, &QAbstractItemModel::modelReset);
    QSignalSpy count(model, &MusubiStoreListModel::countChanged);
    QSignalSpy rootChanged(tree.rootStore(), &MusubiStore::changed);
    const auto error = tree.apply(envelope(ops));
    QVERIFY2(!error, error ? qPrintable(error->toString()) : "");
    QCOMPARE(tree.rootStore()->value(u"rows"_s).value<QObject *>(), model);
    QCOMPARE(rowNames(model), after);
    QCOMPARE(inserts.size(), inserted);
    QCOMPARE(removes.size(), removed);
    QCOMPARE(moves.size(), moved);
    QCOMPARE(resets.size(), 0);
    QCOMPARE(count.size(), before.size() == after.size() ? 0 : 1);
    QCOMPARE(rootChanged.size(), before == after ? 0 : 1);
    for (int row = 0; row < model->count(); ++row) {
        MusubiStore *store = model->get(row);
        QVERIFY(store);
        QCOMPARE(store->value(u"label"_s).toString(), u"row "_s + after.at(row));
        QCOMPARE(model->indexOfStoreId(store->storeIdJson()), row);
        if (made.contains(after.at(row)))
            QCOMPARE(store, made.value(after.at(row)).data());
    }
    QCOMPARE(model->indexOfStoreId(QJsonArray{u"rows"_s, u"nope"_s}), -1);
    QVERIFY(!model->get(model->count()));
    QVERIFY(!model->get(-1));
}

void tst_MusubiStoreTree::storeListRowFieldTouchesOnlyItsStore()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(listStore({u"a"_s, u"b"_s}))));
    auto *model = qobject_cast<MusubiStoreListModel *>(
            tree.rootStore()->value(u"rows"_s).value<QObject *>());
    QVERIFY(model);
    MusubiStore *b = model->get(1);
    QSignalSpy data(model, &QAbstractItemModel::dataChanged);
    QSignalSpy layout(model, &QAbstractItemModel::layoutChanged);
    QSignalSpy inserts(model, &QAbstractItemModel::rowsInserted);
    QSignalSpy bChanged(b, &MusubiStore::changed);
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'replace','path':'/rows/1/label','value':'renamed'}]"))));
    QCOMPARE(b->value(u"label"_s).toString(), u"renamed"_s);
    QCOMPARE(bChanged.size(), 1);
    QCOMPARE(data.size(), 0);
    QCOMPARE(layout.size(), 0);
    QCOMPARE(inserts.size(), 0);
}

void tst_MusubiStoreTree::storeListStaysAModelWhenEmpty()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(listStore({u"a"_s}))));
    QPointer<MusubiStoreListModel> model = qobject_cast<MusubiStoreListModel *>(
            tree.rootStore()->value(u"rows"_s).value<QObject *>());
    QVERIFY(model);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(!tree.apply(envelope(json("[{'op':'remove','path':'/rows/0'}]"))));
    QCOMPARE(tree.rootStore()->value(u"rows"_s).value<QObject *>(), model.data());
    QCOMPARE(model->count(), 0);
    QVERIFY(!tree.apply(envelope(json("[{'op':'add','path':'/rows/-','value':"
                                      "{'__musubi_store_id__':['rows','n'],'label':'n'}}]"))));
    QCOMPARE(tree.rootStore()->value(u"rows"_s).value<QObject *>(), model.data());
    QCOMPARE(rowNames(model), QStringList{u"n"_s});
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/rows','value':[]}]"))));
    QCOMPARE(model->count(), 0);
    // Plain values end it: the field becomes a plain list and the model goes.
    QVERIFY(!tree.apply(envelope(json("[{'op':'replace','path':'/rows','value':[1,2]}]"))));
    QCOMPARE(tree.rootStore()->value(u"rows"_s).toList(), (QVariantList{1, 2}));
    QTRY_VERIFY(!model);
    // An empty list that never held stores is a plain list.
    QVERIFY(!tree.apply(envelope(json("[{'op':'add','path':'/other','value':[]}]"))));
    QCOMPARE(tree.rootStore()->value(u"other"_s).toList(), QVariantList());
    // A list of stores and plain values stays a plain list of MusubiStore objects.
    QVERIFY(!tree.apply(envelope(json("[{'op':'add','path':'/mixed','value':"
                                      "[{'__musubi_store_id__':['m']},3]}]"))));
    const QVariantList mixed = tree.rootStore()->value(u"mixed"_s).toList();
    QCOMPARE(mixed.size(), 2);
    QCOMPARE(mixed.at(0).value<QObject *>(), tree.store(QJsonArray{u"m"_s}));
}

void tst_MusubiStoreTree::storeListDuplicateIds()
{
    MusubiStoreTree tree;
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"listed twice"_s));
    QVERIFY(!tree.apply(mountEnvelope(listStore({u"a"_s, u"b"_s, u"a"_s}))));
    auto *model = qobject_cast<MusubiStoreListModel *>(
            tree.rootStore()->value(u"rows"_s).value<QObject *>());
    QVERIFY(model);
    QAbstractItemModelTester tester(model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(rowNames(model), (QStringList{u"a"_s, u"b"_s}));
}

void tst_MusubiStoreTree::removedIdAfterInPlaceEdit()
{
    // The node of ["x"] becomes ["y"] by an edit of its id: x is removed, y added.
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(
            json("{'__musubi_store_id__':[],'s':{'__musubi_store_id__':['x'],'v':1}}"))));
    QSignalSpy removed(&tree, &MusubiStoreTree::storesRemoved);
    QSignalSpy added(&tree, &MusubiStoreTree::storesAdded);
    QVERIFY(!tree.apply(
            envelope(json("[{'op':'replace','path':'/s/__musubi_store_id__','value':['y']}]"))));
    QCOMPARE(removed.size(), 1);
    QCOMPARE(removed.at(0).at(0).value<QList<QJsonArray>>(), QList<QJsonArray>{{u"x"_s}});
    QCOMPARE(added.size(), 1);
    QCOMPARE(added.at(0).at(0).value<QList<QJsonArray>>(), QList<QJsonArray>{{u"y"_s}});
}

void tst_MusubiStoreTree::duplicateIdsWithoutObjects_data()
{
    QTest::addColumn<bool>("editIndexedCopy");
    QTest::addColumn<QStringList>("listed");
    QTest::newRow("indexed copy ends different") << true << QStringList{u"d"_s, u"root"_s};
    // What readers see of d did not change; its parent is only listed for a change that
    // reaches what a reader can see.
    QTest::newRow("only the other copy edited") << false << QStringList();
}

// A server that renders an id twice (p.x and q.y both carry ["d"]): the rule gives the same
// list whether or not the store's object exists.
void tst_MusubiStoreTree::duplicateIdsWithoutObjects()
{
    QFETCH(bool, editIndexedCopy);
    QFETCH(QStringList, listed);
    for (bool made : {false, true}) {
        MusubiStoreTree tree;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"rendered more than once"_s));
        QVERIFY(!tree.apply(mountEnvelope(json("{'__musubi_store_id__':[],"
                                               "'p':{'x':{'__musubi_store_id__':['d'],'f':5}},"
                                               "'q':{'y':{'__musubi_store_id__':['d'],'f':1}}}"))));
        // Which copy is the indexed one (the one readers see) depends on hash order.
        const int shown = tree.resolvedState(QJsonArray{u"d"_s})[u"f"_s].toInt();
        QVERIFY(shown == 5 || shown == 1);
        const QString indexed = shown == 5 ? u"/p/x/f"_s : u"/q/y/f"_s;
        const QString other = shown == 5 ? u"/q/y/f"_s : u"/p/x/f"_s;
        if (made)
            QCOMPARE(tree.store(QJsonArray{u"d"_s})->value(u"f"_s).toInt(), shown);
        QJsonArray ops{
                QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, other}, {u"value"_s, shown}}};
        if (editIndexedCopy) {
            ops.append(QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, indexed}, {u"value"_s, 9}});
        } else {
            ops[0] = QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, other}, {u"value"_s, 7}};
        }
        QSignalSpy changed(&tree, &MusubiStoreTree::storesChanged);
        QVERIFY(!tree.apply(envelope(ops)));
        QStringList names;
        if (!changed.isEmpty()) {
            for (const QJsonArray &id : changed.at(0).at(0).value<QList<QJsonArray>>())
                names.append(idName(id));
        }
        names.sort();
        QCOMPARE(names, listed);
    }
}

// A per-index diff of a reordered list renders an id twice for a moment: no warning, and
// the list model moves its rows.
void tst_MusubiStoreTree::reorderByIndexDoesNotWarn()
{
    MusubiStoreTree tree;
    QVERIFY(!tree.apply(mountEnvelope(listStore({u"a"_s, u"b"_s, u"c"_s}))));
    auto *model = qobject_cast<MusubiStoreListModel *>(
            tree.rootStore()->value(u"rows"_s).value<QObject *>());
    QVERIFY(model);
    QSignalSpy moves(model, &QAbstractItemModel::rowsMoved);
    QTest::failOnWarning(QRegularExpression(u"rendered more than once"_s));
    const auto row = [](const char *id) {
        return QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"rows"_s, QLatin1String(id)}},
                           {u"label"_s, u"row "_s + QLatin1String(id)}};
    };
    QVERIFY(!tree.apply(envelope(QJsonArray{
            QJsonObject{{u"op"_s, u"replace"_s}, {u"path"_s, u"/rows/0"_s}, {u"value"_s, row("c")}},
            QJsonObject{
                    {u"op"_s, u"replace"_s}, {u"path"_s, u"/rows/2"_s}, {u"value"_s, row("a")}}})));
    QCOMPARE(rowNames(model), (QStringList{u"c"_s, u"b"_s, u"a"_s}));
    QCOMPARE(moves.size(), 2);
    QCOMPARE(tree.storeIds().size(), 4);
}

#include "tst_musubistoretree.moc"

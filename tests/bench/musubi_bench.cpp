// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// Data-plane benchmark. Prints `name: value` lines:
//   apply_us_<N>        one-field replace in one leaf store, from envelope text to last signal
//   baseline_us_<N>     the same envelopes through a naive baseline (copy tree, apply,
//                       rebuild the whole store index, compare every store)
//   speedup_<N>         baseline / ours
//   signals_per_envelope  store changed() signalCount per envelope in the apply runs
//   mount_1mb_ratio     text -> all stores built (parse + apply) for a ~1 MB initial
//                       `replace ""` (data-heavy root: 20 child stores with plain record
//                       lists), divided by QJsonDocument::fromJson of the same text
//   mount_1mb_json_values_ratio  the data-heavy mount with PlainValues::JsonContainers
//   mount_1mb_store_heavy_ratio  the same for ~1 MB made of 2,000 child stores (store
//                       objects are made on demand: the mount makes none)
//   mount_1mb_store_heavy_first_screen_ms  that mount, then the root store and the first
//                       30 rows of its store list made, as a screen showing them would
//   reference_mount_ms  the reference runtime's mount work on node for the same text
//                       (tests/bench/reference-mount.mjs: parse, `replace ""`, store
//                       index), and first_screen_over_reference (target <= 2)
//   mount_1mb_store_heavy_propertymap_floor_ratio  what 2,001 bare QQmlPropertyMaps cost
//                       relative to that parse (the floor for one property map per store)
//   mount_10k_stores_rss_kb / _materialised_rss_kb  resident memory added by a mounted
//                       10,000-store tree with no store object, then with all of them, and
//                       the bytes per store of both
//   stream_10k_ms       10,000 inserts in one envelope (text -> rows signalled)
//   stream_10k_single_ms  the same 10,000 inserts, one envelope each
//   stream_resets       model resets seen during the stream runs (must be 0)
//   trace_off_us / trace_on_us  one leaf replace into a 1,000-store root through its mount
//                       (RootMount::handlePatch, as a channel delivers it: checks, apply,
//                       signals) with nobody listening to the connection's MusubiTrace, and
//                       with a listener (records built and emitted); rounds interleaved
//   trace_check_ns      one isListening() check, what a no-listener envelope pays per hook
//   trace_off_overhead_pct  that check over trace_off_us (the seam's cost without listener)
//   trace_off_noise_pct the spread of the no-listener rounds themselves (median over best)
// Tree shape: a root store whose field `items` is a list of N child stores, each with a
// few scalar fields, a small array and a nested object (list-rendered children, the shape
// that makes whole-container copies hurt most).
// `--quick` runs small sizes only and fails if a stream op reset a model.
#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubiroot_p.h>
#include <musubirootmount_p.h>
#include <musubistore.h>
#include <musubistorelistmodel.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubitrace.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QElapsedTimer>
#include <QtCore/QFile>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryFile>
#include <QtQml/QQmlPropertyMap>

#include <memory>
#include <vector>

#include <algorithm>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

QJsonObject childStore(int i)
{
    return QJsonObject{
            {u"__musubi_store_id__"_s, QJsonArray{u"items"_s, u"s%1"_s.arg(i)}},
            {u"title"_s, u"Item number %1"_s.arg(i)},
            {u"count"_s, i},
            {u"done"_s, i % 3 == 0},
            {u"tags"_s, QJsonArray{u"alpha"_s, u"beta"_s, i % 7}},
            {u"meta"_s,
             QJsonObject{{u"created"_s, u"2026-01-01T00:00:00Z"_s},
                         {u"owner"_s, u"user-%1"_s.arg(i % 50)}}},
    };
}

QJsonObject rootTree(int n, int padding = 0)
{
    QJsonArray items;
    for (int i = 0; i < n; ++i) {
        QJsonObject child = childStore(i);
        if (padding > 0)
            child.insert(u"notes"_s, QString(padding, u'x'));
        items.append(child);
    }
    return QJsonObject{{u"__musubi_store_id__"_s, QJsonArray()},
                       {u"title"_s, u"Benchmark"_s},
                       {u"items"_s, items},
                       {u"feed"_s, QJsonObject{{u"__musubi_stream__"_s, u"feed"_s}}}};
}

QByteArray envelopeText(int version, const QJsonArray &ops, const QJsonArray &streamOps = {})
{
    const QJsonObject env{{u"type"_s, u"patch"_s},
                          {u"root_id"_s, u"Bench:1"_s},
                          {u"base_version"_s, version},
                          {u"version"_s, version + 1},
                          {u"ops"_s, ops},
                          {u"stream_ops"_s, streamOps},
                          {u"upload_ops"_s, QJsonArray()},
                          {u"events"_s, QJsonArray()}};
    return QJsonDocument(env).toJson(QJsonDocument::Compact);
}

QList<QByteArray> leafReplaces(int n, int count, int pass)
{
    QList<QByteArray> out;
    out.reserve(count);
    for (int k = 0; k < count; ++k) {
        const int leaf = int((qint64(k) * 7919) % n);
        out.append(envelopeText(
                k + 1,
                QJsonArray{QJsonObject{{u"op"_s, u"replace"_s},
                                       {u"path"_s, u"/items/%1/title"_s.arg(leaf)},
                                       {u"value"_s, u"Title %1 of pass %2"_s.arg(k).arg(pass)}}}));
    }
    return out;
}

void print(const char *name, double value)
{
    std::printf("%s: %.3f\n", name, value);
    std::fflush(stdout);
}

// ---- Naive baseline: what a whole-tree implementation does per envelope. -----------------

QJsonValue setAt(const QJsonValue &node, const QStringList &tokens, qsizetype i,
                 const QJsonValue &v)
{
    if (i == tokens.size())
        return v;
    if (node.isArray()) {
        QJsonArray array = node.toArray(); // detaches: copies the whole level
        const int index = tokens.at(i).toInt();
        array.replace(index, setAt(array.at(index), tokens, i + 1, v));
        return array;
    }
    QJsonObject object = node.toObject();
    object.insert(tokens.at(i), setAt(object.value(tokens.at(i)), tokens, i + 1, v));
    return object;
}

void indexStores(const QJsonValue &value, QHash<QString, QJsonObject> *index)
{
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (const QJsonValue &item : array)
            indexStores(item, index);
        return;
    }
    if (!value.isObject())
        return;
    const QJsonObject object = value.toObject();
    const QJsonValue id = object.value(u"__musubi_store_id__"_s);
    if (id.isArray())
        index->insert(id.toVariant().toStringList().join(u'\0'), object);
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        indexStores(it.value(), index);
}

struct Baseline
{
    QJsonObject tree;
    QHash<QString, QJsonObject> index;
    int notified = 0;

    void apply(const QByteArray &text)
    {
        const QJsonObject env = QJsonDocument::fromJson(text).object();
        QJsonObject next = tree; // copy the tree
        const QJsonArray ops = env.value(u"ops"_s).toArray();
        for (const QJsonValue &op : ops) {
            const QString path = op[u"path"_s].toString();
            const QStringList tokens = path.mid(1).split(u'/');
            next = setAt(next, tokens, 0, op[u"value"_s]).toObject();
        }
        QHash<QString, QJsonObject> nextIndex; // rebuild the whole index
        indexStores(next, &nextIndex);
        for (auto it = nextIndex.constBegin(); it != nextIndex.constEnd(); ++it) {
            if (index.value(it.key()) != it.value()) // compare every store
                ++notified;
        }
        tree = next;
        index = nextIndex;
    }
};

// ---- Measurements ---------------------------------------------------------------------

struct ApplyResult
{
    double ours_us = 0;
    double baseline_us = 0;
    double signalCount = 0;
};

QByteArray mountText(const QJsonObject &root)
{
    return envelopeText(0,
                        QJsonArray{QJsonObject{{u"op"_s, u"replace"_s},
                                               {u"path"_s, QString()},
                                               {u"value"_s, root}}});
}

// Interleaves the sizes round by round and keeps the best round of each, so that load
// from other processes on the machine hits all sizes alike.
QHash<int, ApplyResult> measureApply(const QList<int> &sizes, int rounds, int perRound, bool quick)
{
    QHash<int, ApplyResult> results;
    struct Case
    {
        int n = 0;
        std::unique_ptr<MusubiStoreTree> tree;
        qint64 signalCount = 0;
        QList<QByteArray> texts;
        double best = 1e18;
    };
    std::vector<Case> cases;
    for (int n : sizes) {
        Case c;
        c.n = n;
        c.tree = std::make_unique<MusubiStoreTree>();
        c.tree->apply(QJsonDocument::fromJson(mountText(rootTree(n))).object());
        cases.push_back(std::move(c));
    }
    for (Case &c : cases) {
        const QList<QJsonArray> ids = c.tree->storeIds();
        qint64 *counter = &c.signalCount;
        for (const QJsonArray &id : ids)
            QObject::connect(c.tree->store(id), &MusubiStore::changed, [counter] { ++*counter; });
    }
    for (int round = 0; round <= rounds; ++round) { // round 0 warms up
        for (Case &c : cases) {
            // New values every round, so that every envelope really changes its leaf.
            const QList<QByteArray> texts = leafReplaces(c.n, perRound, round);
            c.signalCount = 0;
            QElapsedTimer timer;
            timer.start();
            for (const QByteArray &text : texts) {
                const auto error = c.tree->apply(QJsonDocument::fromJson(text).object());
                if (error)
                    qFatal("bench envelope refused: %s", qPrintable(error->toString()));
            }
            const double us = double(timer.nsecsElapsed()) / 1000.0 / perRound;
            if (round > 0)
                c.best = std::min(c.best, us);
            results[c.n].signalCount = double(c.signalCount) / perRound;
        }
    }
    for (Case &c : cases) {
        results[c.n].ours_us = c.best;
        const QJsonObject root = rootTree(c.n);
        Baseline baseline;
        baseline.tree = root;
        indexStores(root, &baseline.index);
        const int iterations = quick ? 20 : (c.n >= 10000 ? 60 : 300);
        double best = 1e18;
        for (int pass = 1; pass <= 3; ++pass) {
            const QList<QByteArray> texts = leafReplaces(c.n, iterations, 100 + pass);
            QElapsedTimer timer;
            timer.start();
            for (const QByteArray &text : texts)
                baseline.apply(text);
            best = std::min(best, double(timer.nsecsElapsed()) / 1000.0 / iterations);
        }
        results[c.n].baseline_us = best;
    }
    return results;
}

// Data-heavy ~1 MB root: 20 child stores, each with 120 plain records (what a dashboard or
// a list page renders; large collections live in plain lists or streams, not in one
// store per record).
QJsonObject dataHeavyTree()
{
    QJsonArray panels;
    for (int p = 0; p < 20; ++p) {
        QJsonArray rows;
        for (int r = 0; r < 120; ++r) {
            rows.append(QJsonObject{{u"id"_s, u"row-%1-%2"_s.arg(p).arg(r)},
                                    {u"name"_s, u"Customer %1"_s.arg(r * 7 + p)},
                                    {u"email"_s, u"customer%1@example.com"_s.arg(r)},
                                    {u"total"_s, r * 13.25},
                                    {u"paid"_s, r % 2 == 0},
                                    {u"tags"_s, QJsonArray{u"new"_s, u"vip"_s}},
                                    {u"address"_s,
                                     QJsonObject{{u"street"_s, u"%1 Main Street"_s.arg(r)},
                                                 {u"city"_s, u"Springfield"_s},
                                                 {u"zip"_s, u"%1"_s.arg(10000 + r)}}},
                                    {u"note"_s, QString(160, u'n')}});
        }
        panels.append(
                QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"panels"_s, u"p%1"_s.arg(p)}},
                            {u"title"_s, u"Panel %1"_s.arg(p)},
                            {u"rows"_s, rows},
                            {u"feed"_s, QJsonObject{{u"__musubi_stream__"_s, u"feed"_s}}}});
    }
    return QJsonObject{{u"__musubi_store_id__"_s, QJsonArray()},
                       {u"title"_s, u"Dashboard"_s},
                       {u"panels"_s, panels}};
}

double
mountRatio(const QByteArray &text, const char *prefix, qsizetype expectedStores,
           MusubiStoreTree::PlainValues plain = MusubiStoreTree::PlainValues::VariantContainers)
{
    print(qPrintable(u"%1_bytes"_s.arg(QLatin1StringView(prefix))), double(text.size()));
    double parse = 1e18, mount = 1e18;
    for (int pass = 0; pass < 15; ++pass) {
        QElapsedTimer timer;
        timer.start();
        const QJsonDocument doc = QJsonDocument::fromJson(text);
        parse = std::min(parse, double(timer.nsecsElapsed()));
        if (doc.isNull())
            qFatal("bad mount text");
        MusubiStoreTree tree;
        tree.setPlainValues(plain);
        timer.restart();
        tree.apply(QJsonDocument::fromJson(text).object());
        mount = std::min(mount, double(timer.nsecsElapsed()));
        if (tree.storeIds().size() != expectedStores)
            qFatal("mount built %d stores", int(tree.storeIds().size()));
    }
    print(qPrintable(u"%1_parse_ms"_s.arg(QLatin1StringView(prefix))), parse / 1e6);
    print(qPrintable(u"%1_ms"_s.arg(QLatin1StringView(prefix))), mount / 1e6);
    return mount / parse;
}

// Store-heavy ~1 MB: 2,000 child stores with a 300-character notes field.
double measureStoreHeavyMountRatio()
{
    return mountRatio(mountText(rootTree(2000, 300)), "mount_1mb_store_heavy", 2001);
}

// The store-heavy mount as a screen opens it: text to tree, then the root store and the
// first 30 rows of its `items` list (what a ListView showing them reads).
double measureFirstScreen(const QByteArray &text)
{
    double best = 1e18;
    for (int pass = 0; pass < 40; ++pass) {
        MusubiStoreTree tree;
        QElapsedTimer timer;
        timer.start();
        tree.apply(QJsonDocument::fromJson(text).object());
        MusubiStore *root = tree.rootStore();
        auto *items =
                qobject_cast<MusubiStoreListModel *>(root->value(u"items"_s).value<QObject *>());
        if (!items || items->count() != 2000)
            qFatal("items is not a list of 2000 stores");
        for (int row = 0; row < 30; ++row) {
            if (!items->data(items->index(row, 0), MusubiStoreListModel::StoreRole).isValid())
                qFatal("row %d has no store", row);
        }
        best = std::min(best, double(timer.nsecsElapsed()) / 1e6);
    }
    return best;
}

// The reference runtime's mount of the same text on node, or a negative number when node
// is not installed.
double measureReferenceMount(const QByteArray &text)
{
    const QString node = QStandardPaths::findExecutable(u"node"_s);
    if (node.isEmpty())
        return -1;
    QTemporaryFile file;
    if (!file.open() || file.write(text) != text.size() || !file.flush())
        qFatal("cannot write the mount text for node");
    QProcess process;
    process.start(node, {QStringLiteral(MUSUBI_BENCH_REFERENCE_SCRIPT), file.fileName(), u"40"_s});
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        qFatal("node failed: %s", process.readAllStandardError().constData());
    const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("reference_mount_stores: ") && line.mid(24).toInt() != 2001)
            qFatal("node indexed %s stores", line.mid(24).constData());
        if (line.startsWith("reference_mount_ms: "))
            return line.mid(20).toDouble();
    }
    qFatal("node printed no figure");
}

// Resident set size of this process, in KiB (Linux), or -1.
double residentKb()
{
    QFile status(u"/proc/self/status"_s);
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble();
    }
    return -1;
}

// Memory of a mounted 10,000-store tree: without store objects, then with all of them.
void measureStoreMemory()
{
    const QByteArray text = mountText(rootTree(10000));
    const double before = residentKb();
    auto tree = std::make_unique<MusubiStoreTree>();
    tree->apply(QJsonDocument::fromJson(text).object());
    const double mounted = residentKb();
    const QList<QJsonArray> ids = tree->storeIds();
    for (const QJsonArray &id : ids) {
        if (!tree->store(id))
            qFatal("store missing");
    }
    const double materialised = residentKb();
    if (before < 0) {
        print("mount_10k_stores_rss_kb", -1);
        return;
    }
    print("mount_10k_stores_rss_kb", mounted - before);
    print("mount_10k_stores_bytes_per_store", (mounted - before) * 1024 / 10001);
    print("mount_10k_stores_materialised_rss_kb", materialised - before);
    print("mount_10k_stores_materialised_bytes_per_store", (materialised - before) * 1024 / 10001);
}

// What 2,001 QQmlPropertyMaps with the same keys cost on their own, relative to parsing:
// the floor of any design that builds one property map per store eagerly.
double measurePropertyMapFloor(double parseNs)
{
    class Map : public QQmlPropertyMap
    {
    public:
        explicit Map(QObject *parent)
            : QQmlPropertyMap(this, parent)
        { }
    };
    double best = 1e18;
    for (int pass = 0; pass < 3; ++pass) {
        QObject parent;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 2001; ++i) {
            auto *map = new Map(&parent);
            QVariantHash values;
            for (const char *key : {"title", "count", "done", "tags", "meta", "notes"})
                values.insert(QLatin1StringView(key), i);
            map->insert(values);
        }
        best = std::min(best, double(timer.nsecsElapsed()));
    }
    return best / parseNs;
}

QJsonObject insertOp(int i)
{
    return QJsonObject{{u"op"_s, u"insert"_s},
                       {u"stream"_s, u"feed"_s},
                       {u"ref"_s, u"0"_s},
                       {u"store_id"_s, QJsonArray()},
                       {u"item_key"_s, u"item-%1"_s.arg(i)},
                       {u"at"_s, -1},
                       {u"limit"_s, QJsonValue()},
                       {u"item"_s, QJsonObject{{u"id"_s, i}, {u"text"_s, u"message %1"_s.arg(i)}}}};
}

void measureStreams(int count, int *resets)
{
    const QByteArray mount = envelopeText(0,
                                          QJsonArray{QJsonObject{{u"op"_s, u"replace"_s},
                                                                 {u"path"_s, QString()},
                                                                 {u"value"_s, rootTree(10)}}});
    {
        MusubiStoreTree tree;
        tree.apply(QJsonDocument::fromJson(mount).object());
        MusubiStreamModel *model = tree.stream(QJsonArray(), u"feed"_s);
        QObject::connect(model, &QAbstractItemModel::modelReset, [resets] { ++*resets; });
        QJsonArray ops;
        for (int i = 0; i < count; ++i)
            ops.append(insertOp(i));
        const QByteArray text = envelopeText(1, QJsonArray(), ops);
        QElapsedTimer timer;
        timer.start();
        tree.apply(QJsonDocument::fromJson(text).object());
        print(count == 10000 ? "stream_10k_ms" : "stream_quick_ms",
              double(timer.nsecsElapsed()) / 1e6);
        if (model->count() != count)
            qFatal("stream has %d rows", model->count());
    }
    {
        MusubiStoreTree tree;
        tree.apply(QJsonDocument::fromJson(mount).object());
        MusubiStreamModel *model = tree.stream(QJsonArray(), u"feed"_s);
        QObject::connect(model, &QAbstractItemModel::modelReset, [resets] { ++*resets; });
        QList<QByteArray> texts;
        for (int i = 0; i < count; ++i)
            texts.append(envelopeText(i + 1, QJsonArray(), QJsonArray{insertOp(i)}));
        QElapsedTimer timer;
        timer.start();
        for (const QByteArray &text : std::as_const(texts))
            tree.apply(QJsonDocument::fromJson(text).object());
        print(count == 10000 ? "stream_10k_single_ms" : "stream_quick_single_ms",
              double(timer.nsecsElapsed()) / 1e6);
        if (model->count() != count)
            qFatal("stream has %d rows", model->count());
    }
}

// The trace seam's cost: envelopes through a root's mount with and without a listener.
void measureTrace(bool quick)
{
    const int n = 1000;
    const int perRound = quick ? 200 : 2000;
    const int rounds = quick ? 3 : 15;
    MusubiConnection connection; // never opened: the envelopes go to the mount directly
    MusubiRoot root(&connection, u"Bench"_s, u"1"_s);
    root.mount();
    Musubi::detail::RootMount *mount = Musubi::detail::RootPrivate::get(&root)->mount;
    mount->handlePatch(QJsonDocument::fromJson(mountText(rootTree(n))).object());
    if (root.version() != 1)
        qFatal("bench: the trace root did not mount");
    MusubiTrace *trace = connection.trace();
    qint64 records = 0;
    int version = 1;
    auto run = [&](int pass) {
        QList<QJsonObject> envelopes;
        envelopes.reserve(perRound);
        for (int k = 0; k < perRound; ++k) {
            const int leaf = int((qint64(k) * 7919) % n);
            envelopes.append(
                    QJsonDocument::fromJson(
                            envelopeText(version + k,
                                         QJsonArray{QJsonObject{
                                                 {u"op"_s, u"replace"_s},
                                                 {u"path"_s, u"/items/%1/title"_s.arg(leaf)},
                                                 {u"value"_s, u"T%1/%2"_s.arg(k).arg(pass)}}}))
                            .object());
        }
        QElapsedTimer timer;
        timer.start();
        for (const QJsonObject &envelope : std::as_const(envelopes))
            mount->handlePatch(envelope);
        const double us = double(timer.nsecsElapsed()) / 1000.0 / perRound;
        version += perRound;
        if (root.version() != version)
            qFatal("bench: a trace envelope was refused");
        return us;
    };
    QList<double> off;
    QList<double> on;
    for (int round = 0; round <= rounds; ++round) { // round 0 warms up
        const double withoutListener = run(2 * round);
        const auto listener = QObject::connect(trace, &MusubiTrace::recorded,
                                               [&records](const QJsonObject &) { ++records; });
        const double withListener = run(2 * round + 1);
        QObject::disconnect(listener);
        if (round > 0) {
            off.append(withoutListener);
            on.append(withListener);
        }
    }
    if (records != qint64(rounds + 1) * perRound)
        qFatal("bench: expected one trace record per envelope with a listener");
    std::sort(off.begin(), off.end());
    std::sort(on.begin(), on.end());
    // One check as a no-listener hook pays it.
    const int checks = 1000000;
    int listening = 0;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < checks; ++i)
        listening += trace->isListening() ? 1 : 0;
    const double checkNs = double(timer.nsecsElapsed()) / checks;
    if (listening != 0)
        qFatal("bench: the trace is listened to");
    print("trace_off_us", off.first());
    print("trace_on_us", on.first());
    print("trace_on_over_off", on.first() / off.first());
    print("trace_check_ns", checkNs);
    print("trace_off_overhead_pct", checkNs / (off.first() * 1000.0) * 100.0);
    print("trace_off_noise_pct", (off.at(off.size() / 2) - off.first()) / off.first() * 100.0);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const bool quick = app.arguments().contains(u"--quick"_s);

    // First, while the heap is fresh: resident memory grows only with what the tree holds.
    if (!quick)
        measureStoreMemory();
    const QList<int> sizes = quick ? QList<int>{100, 1000} : QList<int>{100, 1000, 10000};
    QHash<int, ApplyResult> results =
            measureApply(sizes, quick ? 2 : 10, quick ? 100 : 1000, quick);
    double signalCount = 0;
    for (int n : sizes) {
        const ApplyResult r = results.value(n);
        print(qPrintable(u"apply_us_%1"_s.arg(n)), r.ours_us);
        print(qPrintable(u"baseline_us_%1"_s.arg(n)), r.baseline_us);
        print(qPrintable(u"speedup_%1"_s.arg(n)), r.baseline_us / r.ours_us);
        signalCount = r.signalCount;
    }
    print("signals_per_envelope", signalCount);
    if (!quick) {
        print("apply_ratio_10000_over_100", results[10000].ours_us / results[100].ours_us);
        print("mount_1mb_ratio", mountRatio(mountText(dataHeavyTree()), "mount_1mb", 21));
        print("mount_1mb_json_values_ratio",
              mountRatio(mountText(dataHeavyTree()), "mount_1mb_json_values", 21,
                         MusubiStoreTree::PlainValues::JsonContainers));
        print("mount_1mb_store_heavy_ratio", measureStoreHeavyMountRatio());
        QElapsedTimer timer;
        const QByteArray heavy = mountText(rootTree(2000, 300));
        const double firstScreen = measureFirstScreen(heavy);
        print("mount_1mb_store_heavy_first_screen_ms", firstScreen);
        const double reference = measureReferenceMount(heavy);
        print("reference_mount_ms", reference);
        if (reference > 0)
            print("first_screen_over_reference", firstScreen / reference);
        double parse = 1e18;
        for (int pass = 0; pass < 15; ++pass) {
            timer.start();
            const QJsonDocument doc = QJsonDocument::fromJson(heavy);
            parse = std::min(parse, double(timer.nsecsElapsed()));
        }
        print("mount_1mb_store_heavy_propertymap_floor_ratio", measurePropertyMapFloor(parse));
    }
    measureTrace(quick);
    int resets = 0;
    measureStreams(quick ? 1000 : 10000, &resets);
    print("stream_resets", resets);

    if (resets != 0) {
        std::fprintf(stderr, "FAIL: stream ops reset a model %d times\n", resets);
        return 1;
    }
    if (signalCount != 2.0) {
        std::fprintf(stderr, "FAIL: expected 2 changed() per envelope (leaf and root), got %f\n",
                     signalCount);
        return 1;
    }
    return 0;
}

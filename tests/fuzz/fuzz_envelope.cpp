// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// libFuzzer target: patch envelope application (MusubiStoreTree::apply) on a
// realistic tree: a root store with child stores (a singleton and
// list-rendered ones), stream slots with items, an upload slot with a
// configured handle, an async value and plain nested data.
//
// The input is JSON text: one envelope object, or an array of envelopes
// applied in order (at most kMaxEnvelopes). Properties checked, beyond "no
// crash, no sanitizer report, no leak":
//  - a refused envelope changes nothing (wire tree, store ids, stream items);
//  - after an accepted one, the store index equals the store markers found by
//    a full scan of the wire tree, every indexed store has its MusubiStore
//    with the right id, and every stream model agrees with itself;
//  - the readable views (resolvedState(), store values) can be computed, and
//    the envelope's events can be delivered to their stores.

#include <musubistore.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>

#include <QtCore/QCoreApplication>
#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSet>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <vector>

using namespace Qt::StringLiterals;

namespace {

constexpr qsizetype kMaxEnvelopes = 16;

// Store objects are made on demand. Half of the inputs (by size) make every store's object
// after each envelope; the other half make none, so that the index-only paths (change
// detection of stores without an object, lazy store nodes) run across envelopes too.
bool g_makeObjects = true;

// What a mount of a small shop page renders (docs/protocol.md §4–§8), as the initial envelope.
const char kInitialEnvelope[] = R"json({
  "type": "patch", "root_id": "Shop.CartStore:cart-7", "base_version": 0, "version": 1,
  "ops": [{"op": "replace", "path": "", "value": {
    "__musubi_store_id__": [],
    "title": "Cart (2)",
    "count": 2,
    "tags": ["a", "b", {"deep": [1, 2, {"x": null}]}],
    "avatar": {"__musubi_upload__": "avatar"},
    "messages": {"__musubi_stream__": "messages"},
    "profile": {"__musubi_async__": true, "status": "ok",
                "result": {"name": "Ada", "feed": {"__musubi_stream__": "feed"}}, "reason": null},
    "panel": {"__musubi_store_id__": ["panel"], "open": false,
              "items": {"__musubi_stream__": "items"}},
    "lines": [
      {"__musubi_store_id__": ["lines", "line-1"], "qty": 1, "sku": "A-1"},
      {"__musubi_store_id__": ["lines", "line-2"], "qty": 3, "sku": "B-2",
       "note": {"__musubi_async__": true, "status": "loading", "result": null, "reason": null}}
    ],
    "meta": {"nested": {"object": {"with": ["arrays", 1, 2.5, true, false, null]}}}
  }}],
  "stream_ops": [
    {"op": "reset", "stream": "messages", "ref": "0", "store_id": []},
    {"op": "insert", "stream": "messages", "ref": "0", "store_id": [], "item_key": "m-1", "at": -1, "item": {"id": 1, "text": "hi"}, "limit": null},
    {"op": "insert", "stream": "messages", "ref": "0", "store_id": [], "item_key": "m-2", "at": -1, "item": {"id": 2, "text": "yo"}, "limit": -50},
    {"op": "insert", "stream": "feed", "ref": "1", "store_id": [], "item_key": "f-1", "at": 0, "item": "first", "limit": null},
    {"op": "insert", "stream": "items", "ref": "0", "store_id": ["panel"], "item_key": "i-1", "at": -1, "item": [1, 2], "limit": 3}
  ],
  "upload_ops": [
    {"op": "config", "upload": "avatar", "store_id": [], "config": {"accept": [".png"], "max_entries": 2, "max_file_size": 1000, "chunk_size": 100}},
    {"op": "add", "upload": "avatar", "store_id": [], "ref": "0", "entry": {"ref": "0", "client_name": "a.png", "client_size": 10, "client_type": "image/png", "progress": 0, "status": "pending", "errors": []}}
  ],
  "events": [{"store_id": [], "name": "mounted", "payload": {"ok": true}}]
})json";

void check(bool condition)
{
    if (!condition)
        std::abort();
}

QJsonObject initialEnvelope()
{
    static const QJsonObject envelope = QJsonDocument::fromJson(kInitialEnvelope).object();
    return envelope;
}

// How often each store id is marked in the wire tree, found by an iterative
// scan (the reference the incremental store index must agree with).
QHash<QJsonArray, int> scanStoreIds(const QJsonValue &tree)
{
    QHash<QJsonArray, int> ids;
    std::vector<QJsonValue> stack{tree};
    while (!stack.empty()) {
        const QJsonValue value = stack.back();
        stack.pop_back();
        if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (const QJsonValue &item : array)
                stack.push_back(item);
        } else if (value.isObject()) {
            const QJsonObject object = value.toObject();
            const QJsonValue id = object.value("__musubi_store_id__"_L1);
            if (id.isArray()) {
                bool strings = true;
                for (const QJsonValue &part : id.toArray())
                    strings = strings && part.isString();
                if (strings)
                    ++ids[id.toArray()];
            }
            for (auto it = object.constBegin(); it != object.constEnd(); ++it)
                stack.push_back(it.value());
        }
    }
    return ids;
}

struct StreamState
{
    QJsonArray storeId;
    QString name;
    QStringList keys;
    QJsonArray items;
    friend bool operator==(const StreamState &, const StreamState &) = default;
};

QList<StreamState> streamStates(const MusubiStoreTree &tree)
{
    QList<StreamState> out;
    for (const MusubiStreamModel *model : tree.streams())
        out.append({model->storeIdJson(), model->name(), model->keys(), model->items()});
    std::sort(out.begin(), out.end(), [](const StreamState &a, const StreamState &b) {
        const QByteArray x = QJsonDocument(a.storeId).toJson(QJsonDocument::Compact);
        const QByteArray y = QJsonDocument(b.storeId).toJson(QJsonDocument::Compact);
        return x != y ? x < y : a.name < b.name;
    });
    return out;
}

QSet<QJsonArray> indexedIds(const MusubiStoreTree &tree)
{
    const QList<QJsonArray> ids = tree.storeIds();
    return QSet<QJsonArray>(ids.cbegin(), ids.cend());
}

void checkConsistent(const MusubiStoreTree &tree)
{
    const QSet<QJsonArray> ids = indexedIds(tree);
    const QHash<QJsonArray, int> marked = scanStoreIds(tree.tree());
    // Every marked id is indexed, also ids a hostile envelope rendered more than once
    // and whose indexed copy left again.
    for (auto it = marked.constBegin(); it != marked.constEnd(); ++it)
        check(ids.contains(it.key()));
    for (const QJsonArray &id : ids)
        check(marked.contains(id));
    for (const QJsonArray &id : ids) {
        check(tree.contains(id));
        (void)tree.resolvedState(id);
        if (!g_makeObjects) {
            check(!tree.existingStore(id));
            continue;
        }
        const MusubiStore *store = tree.store(id);
        check(store != nullptr);
        check(store->storeIdJson() == id);
        for (const QString &key : store->keys())
            (void)store->value(key);
        (void)tree.resolvedState(id);
    }
    if (g_makeObjects)
        check((tree.rootStore() != nullptr) == ids.contains(QJsonArray()));
    for (const MusubiStreamModel *model : tree.streams()) {
        check(ids.contains(model->storeIdJson())); // streams of vanished stores are pruned
        check(model->rowCount() == model->count());
        check(model->items().size() == model->count());
        check(model->keys().size() == model->count());
        check(QSet<QString>(model->keys().cbegin(), model->keys().cend()).size()
              == model->count()); // keys are unique
    }
    (void)tree.resolvedState();
}

void deliverEvents(const MusubiStoreTree &tree, const QJsonObject &envelope)
{
    const QJsonArray events = envelope.value("events"_L1).toArray();
    for (const QJsonValue &value : events) {
        const QJsonObject event = value.toObject();
        const QJsonValue name = event.value("name"_L1);
        if (!name.isString())
            continue;
        if (MusubiStore *store = tree.existingStore(event.value("store_id"_L1).toArray()))
            store->deliverEvent(name.toString(), event.value("payload"_L1));
    }
}

void run(const QJsonArray &envelopes)
{
    auto tree = std::make_unique<MusubiStoreTree>();
    check(!tree->apply(initialEnvelope()));
    checkConsistent(*tree);
    qsizetype applied = 0;
    for (const QJsonValue &value : envelopes) {
        if (++applied > kMaxEnvelopes)
            break;
        const QJsonObject envelope = value.toObject();
        const QJsonObject treeBefore = tree->tree();
        const QSet<QJsonArray> idsBefore = indexedIds(*tree);
        const QList<StreamState> streamsBefore = streamStates(*tree);
        const quint64 revisionBefore = tree->revision();
        if (const auto error = tree->apply(envelope)) {
            // Atomic: nothing visible changed.
            check(!error->section.isEmpty());
            check(tree->tree() == treeBefore);
            check(indexedIds(*tree) == idsBefore);
            check(streamStates(*tree) == streamsBefore);
            check(tree->revision() == revisionBefore);
            continue;
        }
        checkConsistent(*tree);
        deliverEvents(*tree, envelope);
    }
    tree.reset();
    // Pruned stores, streams and uploads are deleted later; nothing may leak.
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static QCoreApplication app(*argc, *argv);
    // Refused input is logged by design; the log would only slow the fuzzer down.
    QLoggingCategory::setFilterRules(u"musubi.*=false"_s);
    check(!initialEnvelope().isEmpty());
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(
            QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)), &error);
    if (error.error != QJsonParseError::NoError)
        return 0;
    g_makeObjects = size % 2 == 0;
    if (document.isObject())
        run(QJsonArray{document.object()});
    else
        run(document.array());
    return 0;
}

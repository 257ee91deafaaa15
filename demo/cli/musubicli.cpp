// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicli.h"

#include <musubicache.h>
#include <musubicommanderror.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubitrace.h>
#include <musubiupload.h>

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QScopeGuard>
#include <QtCore/QSocketNotifier>
#include <QtCore/QTimer>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

bool isStoreId(const QJsonValue &value)
{
    if (!value.isArray())
        return false;
    const QJsonArray array = value.toArray();
    return std::all_of(array.begin(), array.end(),
                       [](const QJsonValue &segment) { return segment.isString(); });
}

QJsonValue orNull(const QJsonValue &value)
{
    return value.isUndefined() ? QJsonValue(QJsonValue::Null) : value;
}

// An upload's entries as snapshot lines print them: the wire entry's fields, but the
// status in the client's words (succeeded / failed, not the wire's success / error).
QJsonArray uploadEntries(const MusubiUpload *upload)
{
    QJsonArray out;
    const QList<MusubiUploadEntry> entries = upload->entryModel()->entries();
    for (const MusubiUploadEntry &entry : entries) {
        QJsonObject json = entry.toJson();
        json.insert("status"_L1, MusubiUploadEntry::statusName(entry.status));
        out.append(json);
    }
    return out;
}

// The answer of a mount request.
QJsonObject mountedLine(const QJsonValue &tag, const QString &key, const MusubiRoot *root)
{
    return {{u"type"_s, u"mounted"_s},
            {u"tag"_s, tag},
            {u"root"_s, key},
            {u"version"_s, root->version()},
            {u"from_cache"_s, root->isFromCache()}};
}

QList<std::function<void(MusubiCli *)>> &opProviders()
{
    static QList<std::function<void(MusubiCli *)>> providers;
    return providers;
}

} // namespace

bool MusubiCli::addOpProvider(std::function<void(MusubiCli *cli)> provider)
{
    opProviders().append(std::move(provider));
    return true;
}

MusubiCli::MusubiCli(MusubiConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    connect(connection, &MusubiConnection::statusChanged, this,
            [](MusubiConnection::Status status) {
                emitLine({{u"type"_s, u"status"_s}, {u"status"_s, statusName(status)}});
            });
    connect(connection, &MusubiConnection::errorOccurred, this, [](const QString &message) {
        std::fprintf(stderr, "musubi-cli: %s\n", qUtf8Printable(message));
    });
    connect(connection->cache(), &MusubiCache::errorOccurred, this, [](const QString &message) {
        std::fprintf(stderr, "musubi-cli: cache: %s\n", qUtf8Printable(message));
    });
    for (const auto &provider : std::as_const(opProviders()))
        provider(this);
}

MusubiCli::~MusubiCli() = default;

void MusubiCli::start()
{
    m_notifier = std::make_unique<QSocketNotifier>(STDIN_FILENO, QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &MusubiCli::readStdin);
}

void MusubiCli::readStdin()
{
    char chunk[65536];
    const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
    if (n < 0) {
        if (errno == EAGAIN || errno == EINTR)
            return;
        std::fprintf(stderr, "musubi-cli: reading stdin failed: %s\n", std::strerror(errno));
    }
    if (n <= 0) {
        // End of input: whatever is left is the last request, then quit.
        m_notifier->setEnabled(false);
        const QByteArray rest = std::exchange(m_buffer, {});
        if (!rest.trimmed().isEmpty())
            enqueue(rest);
        enqueue(QByteArrayLiteral("{\"op\":\"quit\"}"));
        return;
    }
    m_buffer.append(chunk, n);
    qsizetype newline;
    while ((newline = m_buffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_buffer.left(newline);
        m_buffer.remove(0, newline + 1);
        if (!line.trimmed().isEmpty())
            enqueue(line);
    }
}

void MusubiCli::enqueue(const QByteArray &line)
{
    m_queue.append(line);
    drain();
}

void MusubiCli::drain()
{
    while (!m_mountInFlight && !m_quitRequested && !m_queue.isEmpty())
        handleLine(m_queue.takeFirst());
    if (m_quitRequested && m_commandsInFlight == 0)
        quit();
}

void MusubiCli::commandSettled()
{
    --m_commandsInFlight;
    drain();
}

void MusubiCli::emitLine(const QJsonObject &object)
{
    QByteArray line = QJsonDocument(object).toJson(QJsonDocument::Compact);
    line.append('\n');
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fflush(stdout);
}

void MusubiCli::emitError(const QJsonValue &tag, const QString &message, const QJsonObject &extra)
{
    QJsonObject line = extra;
    line.insert(u"type"_s, u"error"_s);
    line.insert(u"tag"_s, orNull(tag));
    line.insert(u"message"_s, message);
    emitLine(line);
}

void MusubiCli::registerOp(const QString &op, OpHandler handler)
{
    m_extraOps.insert(op, std::move(handler));
}

void MusubiCli::beginPendingOp()
{
    ++m_commandsInFlight;
}

void MusubiCli::endPendingOp()
{
    commandSettled();
}

QStringList MusubiCli::traceKinds()
{
    return {u"status"_s, u"phase"_s, u"envelope"_s, u"command"_s, u"event"_s, u"cache"_s};
}

void MusubiCli::setTraceKinds(const QStringList &kinds)
{
    m_traceKinds = QSet<QString>(kinds.cbegin(), kinds.cend());
    if (m_traceKinds.isEmpty()) {
        disconnect(std::exchange(m_trace, {}));
    } else if (!m_trace) {
        m_trace = connect(m_connection->trace(), &MusubiTrace::recorded, this,
                          &MusubiCli::traceRecorded);
    }
}

void MusubiCli::traceRecorded(const QJsonObject &record)
{
    if (!m_traceKinds.contains(record.value("kind"_L1).toString()))
        return;
    QJsonObject line = record;
    line.insert(u"type"_s, u"trace"_s); // the record's own "kind" stays
    emitLine(line);
}

MusubiRoot *MusubiCli::root(const QString &key) const
{
    return m_roots.value(key);
}

QString MusubiCli::statusName(MusubiConnection::Status status)
{
    switch (status) {
    case MusubiConnection::Status::Connecting:
        return u"connecting"_s;
    case MusubiConnection::Status::Connected:
        return u"connected"_s;
    case MusubiConnection::Status::Reconnecting:
        return u"reconnecting"_s;
    case MusubiConnection::Status::Unauthorized:
        return u"unauthorized"_s;
    case MusubiConnection::Status::Closed:
        return u"closed"_s;
    }
    return QString();
}

QString MusubiCli::statusName(MusubiRoot::Status status)
{
    switch (status) {
    case MusubiRoot::Status::Unmounted:
        return u"unmounted"_s;
    case MusubiRoot::Status::Connecting:
        return u"connecting"_s;
    case MusubiRoot::Status::Live:
        return u"live"_s;
    case MusubiRoot::Status::Reconnecting:
        return u"reconnecting"_s;
    case MusubiRoot::Status::Failed:
        return u"failed"_s;
    }
    return QString();
}

void MusubiCli::handleLine(const QByteArray &line)
{
    if (m_quitting)
        return;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(line, &error);
    if (error.error != QJsonParseError::NoError) {
        emitError(QJsonValue::Null, u"invalid JSON: "_s + error.errorString());
        return;
    }
    if (!document.isObject()) {
        emitError(QJsonValue::Null, u"invalid request: not a JSON object"_s);
        return;
    }
    const QJsonObject request = document.object();
    const QJsonValue tag = orNull(request.value("tag"_L1));
    const QString op = request.value("op"_L1).toString();
    if (op == "mount"_L1)
        mount(request, tag);
    else if (op == "command"_L1)
        command(request, tag);
    else if (op == "snapshot"_L1)
        snapshot(request, tag);
    else if (op == "unmount"_L1)
        unmount(request, tag);
    else if (op == "quit"_L1)
        m_quitRequested = true; // after the outstanding replies (drain())
    else if (const auto handler = m_extraOps.constFind(op); handler != m_extraOps.cend())
        handler.value()(this, request);
    else if (op == "upload"_L1 || op == "cancel_upload"_L1)
        emitError(tag, u"op \"%1\" is not available in this build"_s.arg(op));
    else
        emitError(tag, op.isEmpty() ? u"missing op"_s : u"unknown op: "_s + op);
}

void MusubiCli::mount(const QJsonObject &request, const QJsonValue &tag)
{
    const QJsonObject mountError{{u"op"_s, u"mount"_s}, {u"reply"_s, QJsonValue::Null}};
    const QString module = request.value("module"_L1).toString();
    const QString instanceId = request.value("instance_id"_L1).toString();
    const QJsonValue params = request.value("params"_L1);
    if (module.isEmpty() || instanceId.isEmpty()) {
        emitError(tag, u"mount needs a non-empty \"module\" and \"instance_id\""_s, mountError);
        return;
    }
    if (!params.isUndefined() && !params.isNull() && !params.isObject()) {
        emitError(tag, u"mount \"params\" must be an object"_s, mountError);
        return;
    }
    const QString key = module + u':' + instanceId;
    if (MusubiRoot *existing = m_roots.value(key)) {
        if (existing->status() == MusubiRoot::Status::Live || existing->isFromCache())
            emitLine(mountedLine(tag, key, existing));
        else
            emitError(tag, u"root %1 is already being mounted"_s.arg(key), mountError);
        return;
    }

    auto *root = new MusubiRoot(m_connection, module, instanceId, params.toObject().toVariantMap(),
                                this);
    m_roots.insert(key, root);

    // The mount request is answered once: "mounted" (from the cache or live) or "error".
    struct MountState
    {
        QJsonValue tag;
        bool answered = false;
        bool storesShown = false; // the changed line of the state shown is out
        bool everLive = false;
    };
    auto state = std::make_shared<MountState>();
    state->tag = tag;
    auto settle = [this, state] {
        state->answered = true;
        m_mountInFlight = false;
        QTimer::singleShot(0, this, &MusubiCli::drain);
    };
    // A cache hit answers the mount at once, after the changed line of the cached state.
    // The root's fromCache and its stores are announced in either order (a persister
    // may answer synchronously, inside mount(), or later).
    auto answerFromCache = [state, settle, root, key] {
        if (state->answered || !state->storesShown || !root->isFromCache())
            return;
        emitLine(mountedLine(state->tag, key, root));
        settle();
    };
    connect(root, &MusubiRoot::statusChanged, this,
            [this, root, key, state, settle](MusubiRoot::Status status) {
                emitLine({{u"type"_s, u"root_status"_s},
                          {u"root"_s, key},
                          {u"status"_s, statusName(status)}});
                if (status == MusubiRoot::Status::Live) {
                    state->everLive = true;
                    if (!state->answered) {
                        emitLine(mountedLine(state->tag, key, root));
                        settle();
                    }
                } else if (status == MusubiRoot::Status::Failed && !state->everLive) {
                    // Refused: before any answer, or after a "mounted" line from the cache
                    // (the server refused what the cache showed). Either way the root is gone.
                    const bool answered = state->answered;
                    emitError(state->tag, root->errorString(),
                              {{u"op"_s, u"mount"_s}, {u"reply"_s, orNull(root->errorReply())}});
                    forget(key);
                    if (!answered)
                        settle();
                }
            });
    connect(root, &MusubiRoot::fromCacheChanged, this, answerFromCache);
    connect(root, &MusubiRoot::revalidated, this, [root, key] {
        emitLine(
                {{u"type"_s, u"revalidated"_s}, {u"root"_s, key}, {u"version"_s, root->version()}});
    });
    connect(root, &MusubiRoot::storesChanged, this,
            [root, key, state, answerFromCache](const QList<QJsonArray> &storeIds) {
                QList<QByteArray> texts;
                for (const QJsonArray &id : storeIds)
                    texts.append(compact(id));
                std::sort(texts.begin(), texts.end());
                QJsonArray stores;
                for (const QByteArray &text : std::as_const(texts))
                    stores.append(QJsonDocument::fromJson(text).array());
                emitLine({{u"type"_s, u"changed"_s},
                          {u"root"_s, key},
                          {u"version"_s, root->version()},
                          {u"stores"_s, stores}});
                state->storesShown = true;
                answerFromCache();
            });
    connect(root, &MusubiRoot::eventReceived, this,
            [key](const QJsonArray &storeId, const QString &name, const QJsonValue &payload) {
                emitLine({{u"type"_s, u"event"_s},
                          {u"root"_s, key},
                          {u"store_id"_s, storeId},
                          {u"name"_s, name},
                          {u"payload"_s, orNull(payload)}});
            });
    m_mountInFlight = true;
    root->mount();
}

void MusubiCli::command(const QJsonObject &request, const QJsonValue &tag)
{
    const QString key = request.value("root"_L1).toString();
    MusubiRoot *root = m_roots.value(key);
    if (!root) {
        emitError(tag, u"unknown root: "_s + key);
        return;
    }
    const QJsonValue storeIdValue = request.value("store_id"_L1);
    if (!storeIdValue.isUndefined() && !isStoreId(storeIdValue)) {
        emitError(tag, u"\"store_id\" must be an array of strings"_s);
        return;
    }
    const QJsonValue payload = request.value("payload"_L1);
    if (!payload.isUndefined() && !payload.isObject()) {
        emitError(tag, u"\"payload\" must be an object"_s);
        return;
    }
    const QString name = request.value("name"_L1).toString();
    ++m_commandsInFlight;
    // A synchronous continuation: the reply line is written when the reply frame is read,
    // so the lines keep the wire order (the reply, then the changed line of its patch).
    // A QFutureWatcher would report one event-loop turn later, after the patch.
    root->dispatch(storeIdValue.toArray(), name, payload.toObject())
            .then(QtFuture::Launch::Sync,
                  [self = QPointer<MusubiCli>(this), tag](const QFuture<QJsonValue> &future) {
                      if (self)
                          self->commandFinished(future, tag);
                  });
}

void MusubiCli::commandFinished(const QFuture<QJsonValue> &future, const QJsonValue &tag)
{
    // Settled later: a command refused at once finishes inside command(), and drain()
    // must not run re-entrantly from there.
    const auto settled =
            qScopeGuard([this] { QTimer::singleShot(0, this, &MusubiCli::commandSettled); });
    try {
        const QJsonValue reply = future.result();
        emitLine({{u"type"_s, u"reply"_s}, {u"tag"_s, tag}, {u"ok"_s, true}, {u"reply"_s, reply}});
    } catch (const MusubiCommandError &error) {
        emitLine({{u"type"_s, u"reply"_s},
                  {u"tag"_s, tag},
                  {u"ok"_s, false},
                  {u"kind"_s, error.kindName()},
                  {u"code"_s, error.code().isNull() ? QJsonValue() : QJsonValue(error.code())},
                  {u"reply"_s, orNull(error.reply())},
                  {u"message"_s, error.message()}});
    } catch (const std::exception &error) {
        emitLine({{u"type"_s, u"reply"_s},
                  {u"tag"_s, tag},
                  {u"ok"_s, false},
                  {u"kind"_s, u"failed"_s},
                  {u"code"_s, QJsonValue()},
                  {u"reply"_s, QJsonValue()},
                  {u"message"_s, QString::fromUtf8(error.what())}});
    }
}

void MusubiCli::snapshot(const QJsonObject &request, const QJsonValue &tag)
{
    const QString key = request.value("root"_L1).toString();
    MusubiRoot *root = m_roots.value(key);
    if (!root) {
        emitError(tag, u"unknown root: "_s + key);
        return;
    }
    MusubiStoreTree *tree = root->storeTree();
    // Sorted by (store_id JSON text, name) so that output is stable.
    auto byStoreAndName = [](const QJsonValue &a, const QJsonValue &b) {
        const QByteArray ka = compact(a[u"store_id"_s].toArray());
        const QByteArray kb = compact(b[u"store_id"_s].toArray());
        if (ka != kb)
            return ka < kb;
        return a[u"name"_s].toString() < b[u"name"_s].toString();
    };
    QList<QJsonValue> streams;
    QList<QJsonValue> uploads;
    if (tree) {
        // Store objects are made on demand; the snapshot lists every store's streams and
        // uploads, so it makes them all.
        const QList<QJsonArray> ids = tree->storeIds();
        for (const QJsonArray &id : ids)
            tree->store(id);
        const auto models = tree->streams();
        for (const MusubiStreamModel *model : models) {
            streams.append(QJsonObject{{u"store_id"_s, model->storeIdJson()},
                                       {u"name"_s, model->name()},
                                       {u"keys"_s, QJsonArray::fromStringList(model->keys())},
                                       {u"items"_s, model->items()}});
        }
        const auto handles = tree->uploads();
        for (const MusubiUpload *upload : handles) {
            uploads.append(QJsonObject{{u"store_id"_s, upload->storeIdJson()},
                                       {u"name"_s, upload->name()},
                                       {u"status"_s, upload->statusName()},
                                       {u"config"_s, upload->config()},
                                       {u"entries"_s, uploadEntries(upload)},
                                       {u"errors"_s, upload->errors()}});
        }
    }
    std::sort(streams.begin(), streams.end(), byStoreAndName);
    std::sort(uploads.begin(), uploads.end(), byStoreAndName);
    QJsonArray streamArray;
    for (const QJsonValue &stream : std::as_const(streams))
        streamArray.append(stream);
    QJsonArray uploadArray;
    for (const QJsonValue &upload : std::as_const(uploads))
        uploadArray.append(upload);
    emitLine({{u"type"_s, u"snapshot"_s},
              {u"tag"_s, tag},
              {u"root"_s, key},
              {u"version"_s, root->version()},
              {u"status"_s, statusName(root->status())},
              {u"from_cache"_s, root->isFromCache()},
              {u"fetching"_s, root->isFetching()},
              {u"tree"_s, tree && tree->hasTree() ? QJsonValue(root->snapshot()) : QJsonValue()},
              {u"state"_s, tree ? orNull(tree->resolvedState()) : QJsonValue()},
              {u"streams"_s, streamArray},
              {u"uploads"_s, uploadArray}});
}

void MusubiCli::unmount(const QJsonObject &request, const QJsonValue &tag)
{
    const QString key = request.value("root"_L1).toString();
    if (!m_roots.contains(key)) {
        emitError(tag, u"unknown root: "_s + key);
        return;
    }
    forget(key);
    emitLine({{u"type"_s, u"unmounted"_s}, {u"tag"_s, tag}, {u"root"_s, key}});
}

void MusubiCli::forget(const QString &key)
{
    MusubiRoot *root = m_roots.take(key);
    if (!root)
        return;
    root->unmount();
    root->deleteLater();
}

void MusubiCli::quit()
{
    if (m_quitting)
        return;
    m_quitting = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    // What the cache's write throttle holds is written now, while every root still has its
    // state (the connection flushes again on aboutToQuit and when it is destroyed).
    m_connection->cache()->flush();
    m_connection->close();
    setTraceKinds({}); // the "closed" status line stays the last line
    QTimer::singleShot(0, this, &MusubiCli::finished);
}

void MusubiCli::stop()
{
    m_queue.clear();
    quit();
}

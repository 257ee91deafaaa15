// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicache.h"

#include "musubicache_p.h"
#include "musubicachepersister.h"

#include <QtCore/QDateTime>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

Q_LOGGING_CATEGORY(lcMusubiCache, "musubi.cache")

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {
constexpr int EntryFormat = 1;
} // namespace

// --- Entry ------------------------------------------------------------------

QByteArray CacheEntry::encode() const
{
    const QJsonObject object{{u"musubi_cache"_s, EntryFormat},
                             {u"key"_s, key},
                             {u"updated_at"_s, double(updatedAt)},
                             {u"buster"_s, buster},
                             {u"data"_s, data}};
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<CacheEntry> CacheEntry::decode(const QByteArray &bytes, QString *why)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    if (error.error != QJsonParseError::NoError) {
        *why = u"not JSON ("_s + error.errorString() + u" at offset "_s
                + QString::number(error.offset) + u')';
        return std::nullopt;
    }
    if (!document.isObject()) {
        *why = u"not a JSON object"_s;
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    if (object.value("musubi_cache"_L1) != QJsonValue(EntryFormat)) {
        *why = u"not a Musubi cache entry (format)"_s;
        return std::nullopt;
    }
    const QJsonValue key = object.value("key"_L1);
    const QJsonValue updatedAt = object.value("updated_at"_L1);
    const QJsonValue buster = object.value("buster"_L1);
    const QJsonValue data = object.value("data"_L1);
    if (!key.isString() || !updatedAt.isDouble() || !buster.isString() || !data.isObject()) {
        *why = u"key, updated_at, buster or data missing or of the wrong type"_s;
        return std::nullopt;
    }
    const double time = updatedAt.toDouble();
    if (time < 0 || time > 9.0e15 || time != double(qint64(time))) {
        *why = u"updated_at is not a time"_s;
        return std::nullopt;
    }
    CacheEntry entry;
    entry.key = key.toString();
    entry.updatedAt = qint64(time);
    entry.buster = buster.toString();
    entry.data = data.toObject();
    return entry;
}

// --- Engine -------------------------------------------------------------------

CachePrivate::CachePrivate(MusubiCache *q)
    : q(q)
{ }

CachePrivate::~CachePrivate() = default;

QString CachePrivate::keyOf(const QString &module, const QString &instanceId,
                            const QJsonObject &params)
{
    // Canonical params: compact JSON with sorted keys (QJsonObject keeps them sorted),
    // null when there are none.
    const QByteArray canonical = params.isEmpty()
            ? QByteArrayLiteral("null")
            : QJsonDocument(params).toJson(QJsonDocument::Compact);
    return instanceId + u'|' + module + u'|' + QString::fromUtf8(canonical);
}

qint64 CachePrivate::defaultNow()
{
    return QDateTime::currentMSecsSinceEpoch();
}

MusubiCachePersister *CachePrivate::persister()
{
    if (current)
        return current;
    switch (storage) {
    case MusubiCache::Storage::Memory:
        current = new MusubiMemoryCachePersister(q);
        break;
    case MusubiCache::Storage::Disk:
        current = new MusubiDiskCachePersister(
                directory.isEmpty() ? MusubiDiskCachePersister::defaultDirectory() : directory, q);
        break;
    case MusubiCache::Storage::Custom:
        return nullptr; // the custom persister was deleted
    }
    return current;
}

void CachePrivate::dropPersister()
{
    // Pending writes go to the persister they were meant for.
    flushAll();
    if (current && current->parent() == q)
        delete current.data();
    current = nullptr;
}

void CachePrivate::lookup(const QString &key, QObject *context,
                          std::function<void(const QJsonObject &)> adopt)
{
    MusubiCachePersister *store = persister();
    if (!store)
        return;
    QFuture<QByteArray> future = store->load(key);
    const QString expectedBuster = buster;
    const int maxAge = gcTime;
    const QPointer<MusubiCachePersister> guardStore(store);
    auto read = [this, key, expectedBuster, maxAge, guardStore,
                 adopt = std::move(adopt)](const QByteArray &bytes) {
        if (bytes.isEmpty()) {
            qCDebug(lcMusubiCache).noquote() << key << ": miss";
            return;
        }
        auto evict = [&](const QString &why) {
            qCWarning(lcMusubiCache).noquote()
                    << key << ": ignoring and deleting the entry:" << why;
            if (guardStore)
                guardStore->remove(key);
        };
        QString why;
        const std::optional<CacheEntry> entry = CacheEntry::decode(bytes, &why);
        if (!entry) {
            evict(why);
            return;
        }
        if (entry->key != key) {
            evict(u"it belongs to another key ("_s + entry->key + u')');
            return;
        }
        if (entry->buster != expectedBuster) {
            qCDebug(lcMusubiCache).noquote() << key << ": buster mismatch, evicting";
            if (guardStore)
                guardStore->remove(key);
            return;
        }
        const qint64 age = now() - entry->updatedAt;
        if (age > maxAge) {
            qCDebug(lcMusubiCache).noquote() << key << ": stale (" << age << "ms old), evicting";
            if (guardStore)
                guardStore->remove(key);
            return;
        }
        m_updatedAt.insert(key, entry->updatedAt);
        qCDebug(lcMusubiCache).noquote() << key << ": hit," << age << "ms old";
        adopt(entry->data);
    };
    if (future.isFinished()) {
        read(future.isValid() && future.resultCount() > 0 ? future.result() : QByteArray());
        return;
    }
    // A slow persister: the mount may be gone, or live, by the time it answers.
    future.then(context, [read = std::move(read)](const QByteArray &bytes) {
              read(bytes);
          }).onFailed(context, [key] {
        qCWarning(lcMusubiCache).noquote() << key << ": the persister failed to load";
    });
}

void CachePrivate::changed(const QString &key, QObject *context, Snapshot snapshot)
{
    Pending &pending = m_pending[key];
    pending.context = context;
    pending.snapshot = std::move(snapshot);
    if (!pending.timer)
        pending.timer = std::make_shared<PhoenixSingleShot>();
    if (pending.timer->isActive())
        return; // trailing: the write at the end of the window takes the latest state
    if (!scheduler() || writeThrottle <= 0) {
        write(key);
        return;
    }
    pending.timer->start(scheduler(), writeThrottle, q, [this, key] { write(key); });
}

void CachePrivate::write(const QString &key)
{
    auto it = m_pending.find(key);
    if (it == m_pending.end())
        return;
    Pending pending = std::move(it.value());
    m_pending.erase(it);
    if (pending.timer)
        pending.timer->cancel();
    if (!pending.context || !pending.snapshot)
        return;
    MusubiCachePersister *store = persister();
    if (!store)
        return;
    CacheEntry entry;
    entry.key = key;
    entry.data = pending.snapshot();
    if (entry.data.isEmpty())
        return;
    entry.updatedAt = now();
    entry.buster = buster;
    if (!store->save(key, entry.encode())) {
        const QString message = u"Could not write the cache entry of "_s + key;
        qCWarning(lcMusubiCache).noquote() << message;
        Q_EMIT q->errorOccurred(message);
        return;
    }
    m_updatedAt.insert(key, entry.updatedAt);
    qCDebug(lcMusubiCache).noquote() << key << ": written";
}

void CachePrivate::flush(const QString &key)
{
    write(key);
}

void CachePrivate::flushAll()
{
    const QStringList keys = m_pending.keys();
    for (const QString &key : keys)
        write(key);
}

void CachePrivate::acquired(const QString &key)
{
    if (auto timer = m_eviction.take(key))
        timer->cancel();
}

void CachePrivate::released(const QString &key)
{
    flush(key);
    const auto updated = m_updatedAt.constFind(key);
    if (updated == m_updatedAt.constEnd())
        return; // nothing written or read for it
    const qint64 remaining = qMax<qint64>(0, updated.value() + gcTime - now());
    auto timer = std::make_shared<PhoenixSingleShot>();
    m_eviction.insert(key, timer);
    if (!scheduler())
        return;
    timer->start(scheduler(), remaining, q, [this, key] {
        m_eviction.remove(key);
        m_updatedAt.remove(key);
        qCDebug(lcMusubiCache).noquote() << key << ": gcTime passed after unmount, evicting";
        if (MusubiCachePersister *store = persister())
            store->remove(key);
    });
}

void CachePrivate::forget(const QString &key)
{
    m_pending.remove(key);
    acquired(key);
    m_updatedAt.remove(key);
    if (MusubiCachePersister *store = persister())
        store->remove(key);
}

void CachePrivate::clear()
{
    m_pending.clear();
    for (const auto &timer : std::as_const(m_eviction))
        timer->cancel();
    m_eviction.clear();
    m_updatedAt.clear();
    if (MusubiCachePersister *store = persister())
        store->clear();
}

} // namespace Musubi::detail

using namespace Musubi::detail;

// --- MusubiCache ---------------------------------------------------------------

MusubiCache::MusubiCache(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<CachePrivate>(this))
{ }

MusubiCache::~MusubiCache()
{
    d->flushAll();
}

bool MusubiCache::isEnabled() const
{
    return d->enabled;
}

void MusubiCache::setEnabled(bool enabled)
{
    if (d->enabled == enabled)
        return;
    if (!enabled)
        d->flushAll();
    d->enabled = enabled;
    Q_EMIT enabledChanged();
}

MusubiCache::Storage MusubiCache::storage() const
{
    return d->storage;
}

void MusubiCache::setStorage(Storage storage)
{
    if (d->storage == storage)
        return;
    if (storage == Storage::Custom) {
        qCWarning(lcMusubiCache) << "MusubiCache: set a persister to use Custom storage";
        return;
    }
    d->dropPersister();
    d->storage = storage;
    Q_EMIT storageChanged();
}

QString MusubiCache::directory() const
{
    return d->directory.isEmpty() ? MusubiDiskCachePersister::defaultDirectory() : d->directory;
}

void MusubiCache::setDirectory(const QString &directory)
{
    const bool toDisk = d->storage != Storage::Disk;
    if (d->directory == directory && !toDisk)
        return;
    d->dropPersister();
    d->directory = directory;
    d->storage = Storage::Disk;
    Q_EMIT directoryChanged();
    if (toDisk)
        Q_EMIT storageChanged();
}

void MusubiCache::resetDirectory()
{
    if (d->directory.isEmpty())
        return;
    if (d->storage == Storage::Disk)
        d->dropPersister();
    d->directory.clear();
    Q_EMIT directoryChanged();
}

int MusubiCache::gcTime() const
{
    return d->gcTime;
}

void MusubiCache::setGcTime(int ms)
{
    ms = qMax(0, ms);
    if (d->gcTime == ms)
        return;
    d->gcTime = ms;
    Q_EMIT gcTimeChanged();
}

QString MusubiCache::buster() const
{
    return d->buster;
}

void MusubiCache::setBuster(const QString &buster)
{
    if (d->buster == buster)
        return;
    d->buster = buster;
    Q_EMIT busterChanged();
}

int MusubiCache::writeThrottle() const
{
    return d->writeThrottle;
}

void MusubiCache::setWriteThrottle(int ms)
{
    ms = qMax(0, ms);
    if (d->writeThrottle == ms)
        return;
    d->writeThrottle = ms;
    Q_EMIT writeThrottleChanged();
}

MusubiCachePersister *MusubiCache::persister()
{
    return d->persister();
}

void MusubiCache::setPersister(MusubiCachePersister *persister)
{
    if (persister && persister == d->current)
        return;
    const Storage before = d->storage;
    d->dropPersister();
    if (persister) {
        persister->setParent(this);
        d->current = persister;
        d->storage = Storage::Custom;
    } else {
        d->storage = Storage::Memory;
    }
    if (before != d->storage)
        Q_EMIT storageChanged();
}

QString MusubiCache::key(const QString &module, const QString &instanceId,
                         const QVariantMap &params)
{
    return CachePrivate::keyOf(module, instanceId, QJsonObject::fromVariantMap(params));
}

void MusubiCache::clear()
{
    d->clear();
}

void MusubiCache::flush()
{
    d->flushAll();
}

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicache.h"

#include "musubicache_p.h"
#include "musubicachepersister.h"

#include <QtCore/QDateTime>
#include <QtCore/QFutureWatcher>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonParseError>

Q_LOGGING_CATEGORY(lcMusubiCache, "musubi.cache")

using namespace Qt::StringLiterals;

namespace Musubi::detail {

namespace {
constexpr int EntryFormat = 1;
// An entry dated later than this is not trusted to be fresh (a clock set back, a file
// planted to outlive gcTime).
constexpr qint64 FutureSlack = 60000;
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
    // Pending writes go to the persister they were meant for; the timers and times of
    // its entries mean nothing to the next one.
    flushAll();
    for (const auto &timer : std::as_const(m_eviction))
        timer->cancel();
    m_eviction.clear();
    m_updatedAt.clear();
    if (current && current->parent() == q)
        delete current.data();
    current = nullptr;
    // The mounts that are live now are written into the new storage too.
    const auto live = m_live;
    for (auto it = live.cbegin(); it != live.cend(); ++it) {
        if (it->context)
            changed(it.key(), it->context, it->snapshot);
    }
}

void CachePrivate::lookup(const QString &key, QObject *context,
                          std::function<void(const QJsonObject &)> adopt,
                          std::function<void(const QJsonObject &)> report)
{
    MusubiCachePersister *store = persister();
    if (!store)
        return;
    QFuture<QByteArray> future = store->load(key);
    const QString expectedBuster = buster;
    const int maxAge = gcTime;
    const QPointer<MusubiCachePersister> guardStore(store);
    auto read = [this, key, expectedBuster, maxAge, guardStore, context, adopt = std::move(adopt),
                 report = std::move(report)](const QByteArray &bytes) {
        if (bytes.isEmpty()) {
            qCDebug(lcMusubiCache).noquote() << key << ": miss";
            if (report)
                report({{u"result"_s, u"miss"_s}});
            return;
        }
        // Unusable: deleted. Corrupt or foreign bytes are worth a warning; an entry that is
        // only stale or of another buster is the cache working as meant.
        auto evict = [&](const QString &why, bool corrupt) {
            if (corrupt) {
                qCWarning(lcMusubiCache).noquote()
                        << key << ": ignoring and deleting the entry:" << why;
            } else {
                qCDebug(lcMusubiCache).noquote() << key << ":" << why << "- evicting";
            }
            if (guardStore)
                guardStore->remove(key);
            if (report)
                report({{u"result"_s, u"evicted"_s}, {u"reason"_s, why}});
        };
        QString why;
        const std::optional<CacheEntry> entry = CacheEntry::decode(bytes, &why);
        if (!entry)
            return evict(why, true);
        if (entry->key != key)
            return evict(u"it belongs to another key ("_s + entry->key + u')', true);
        if (entry->buster != expectedBuster)
            return evict(u"buster mismatch"_s, false);
        const qint64 age = now() - entry->updatedAt;
        if (age < -FutureSlack)
            return evict(u"written %1 ms in the future"_s.arg(-age), false);
        if (age > maxAge)
            return evict(u"stale (%1 ms old)"_s.arg(age), false);
        m_updatedAt.insert(key, entry->updatedAt);
        qCDebug(lcMusubiCache).noquote() << key << ": hit," << age << "ms old";
        if (report) {
            const QPointer<QObject> alive(context);
            report({{u"result"_s, u"hit"_s}, {u"age_ms"_s, age}});
            if (!alive)
                return;
        }
        adopt(entry->data);
    };
    const auto resultOf = [key](const QFuture<QByteArray> &done) {
        try {
            if (done.isValid() && !done.isCanceled() && done.resultCount() > 0)
                return done.result();
        } catch (...) {
            qCWarning(lcMusubiCache).noquote() << key << ": the persister failed to load";
        }
        return QByteArray();
    };
    if (future.isFinished()) {
        read(resultOf(future));
        return;
    }
    // A slow persister: the mount may be gone, or live, by the time it answers. The
    // watcher dies with the mount (no answer is delivered then), and the cache may be gone
    // before a mount that is deleted later.
    auto *watcher = new QFutureWatcher<QByteArray>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, watcher,
                     [watcher, resultOf, read = std::move(read), cache = QPointer(q)] {
                         watcher->deleteLater();
                         if (cache)
                             read(resultOf(watcher->future()));
                     });
    watcher->setFuture(future);
}

void CachePrivate::changed(const QString &key, QObject *context, Snapshot snapshot)
{
    m_live.insert(key, {context, std::move(snapshot)});
    std::shared_ptr<PhoenixSingleShot> &timer = m_pending[key];
    if (!timer)
        timer = std::make_shared<PhoenixSingleShot>();
    if (timer->isActive())
        return; // trailing: the write at the end of the window takes the latest state
    if (!scheduler() || writeThrottle <= 0) {
        write(key);
        return;
    }
    timer->start(scheduler(), writeThrottle, q, [this, key] { write(key); });
}

void CachePrivate::write(const QString &key)
{
    const std::shared_ptr<PhoenixSingleShot> timer = m_pending.take(key);
    if (!timer)
        return; // nothing pending
    timer->cancel();
    const Live live = m_live.value(key);
    if (!live.context || !live.snapshot)
        return;
    MusubiCachePersister *store = persister();
    if (!store)
        return;
    CacheEntry entry;
    entry.key = key;
    entry.data = live.snapshot();
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
    m_live.remove(key);
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
    m_live.remove(key);
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

/*!
    \class MusubiCache
    \inmodule MusubiCore
    \inheaderfile musubicache.h
    \brief The mount cache of a connection: the last state of each root, shown at
    once when the root mounts again.

    Every MusubiConnection has one, cache(), off by default. Enabled, each root
    mounted on the connection saves its state as it changes (after a short
    throttle, writeThrottle), and a later mount of the same root (module,
    instance id and params) shows that state at once, before the server
    answered: the root's stores appear, MusubiRoot::fromCache is \c true, and the
    live initial patch replaces the saved state when it arrives
    (MusubiRoot::revalidated()). An app that starts without a network, or
    before its server is up, shows its last data instead of an empty window.

    \code
    MusubiConnection connection;
    connection.cache()->setEnabled(true);
    connection.cache()->setStorage(MusubiCache::Storage::Disk); // survives a restart
    connection.cache()->setBuster(u"v2"_s);                    // drop entries of older builds
    connection.setUrl(QUrl(u"ws://127.0.0.1:4000/socket"_s));
    connection.open();
    \endcode

    In QML it is the grouped property \c{cache} of a MusubiConnection:
    \c{cache.enabled: true}, \c{cache.storage: MusubiCache.Disk}.

    An entry is the wire tree of the root (markers intact, streams and upload
    entries left out), with the time it was written and the buster; its key is
    key(). An entry is used only when its buster equals buster() and it is not
    older than gcTime(); any other entry, and any that cannot be read, is
    deleted when it is found. The saved state goes through the same checks and
    limits as a server's initial patch. A root with MusubiRoot::cache \c false
    is never written and its entry is removed.

    Where entries live is storage(): memory (Storage::Memory, the default; kept
    for the lifetime of the connection, across reconnects), files in
    directory() (Storage::Disk, MusubiDiskCachePersister), or a persister of the
    app's own (setPersister(), Storage::Custom). Failures to write never affect
    the live state: they are logged under \c musubi.cache and reported by
    errorOccurred().

    The guide is docs/cache.md in the repository.

    \sa MusubiConnection::cache, MusubiRoot::fromCache, MusubiCachePersister
*/

/*!
    \enum MusubiCache::Storage

    Where the cache keeps its entries.

    \value Memory In memory (MusubiMemoryCachePersister), for the lifetime of
           the connection: across reconnects and remounts, not across a
           restart. The default.
    \value Disk One file per entry in directory() (MusubiDiskCachePersister):
           across restarts.
    \value Custom The persister given to setPersister().
*/

/*!
    \variable MusubiCache::DefaultGcTime
    \brief The default gcTime(): 300000 ms (five minutes).
*/

/*!
    \variable MusubiCache::DefaultWriteThrottle
    \brief The default writeThrottle(): 1000 ms.
*/

/*!
    \property MusubiCache::enabled
    \brief whether the roots of the connection read and write the cache;
    \c false by default.

    Read when a root mounts: a root mounted while the cache was off neither
    shows nor writes saved state until it mounts again. Turning it off writes
    what the throttle still holds and stops further writes at once.
*/

/*!
    \property MusubiCache::storage
    \brief where entries live: Storage::Memory (the default), Storage::Disk or
    Storage::Custom.

    Changing it writes the pending entries to the old storage first; entries
    are not moved. Storage::Custom cannot be set directly: setPersister() sets
    it.

    \sa directory, setPersister()
*/

/*!
    \property MusubiCache::directory
    \brief the directory of the disk cache.

    By default MusubiDiskCachePersister::defaultDirectory(): \c musubi in the
    user's cache directory (QStandardPaths::CacheLocation). Setting a directory
    switches storage to Storage::Disk; resetting it goes back to the default
    directory. The directory is created (mode 0700) when the first entry is
    written.
*/

/*!
    \property MusubiCache::gcTime
    \brief how long an entry stays usable, in milliseconds after it was
    written; DefaultGcTime (five minutes) by default.

    An older entry is not shown and is deleted when found. After a root
    unmounts, its entry is also deleted once this time has passed since it was
    written (unless the root mounts again first). Negative values count as 0.
*/

/*!
    \property MusubiCache::buster
    \brief a version string stored with every entry; empty by default.

    Entries written with another buster are not used and are deleted when
    found. Change it when the shape of the server's state changes (a new app
    or server release), so that no older state is ever shown.
*/

/*!
    \property MusubiCache::writeThrottle
    \brief the least time between two writes of one root's entry, in
    milliseconds; DefaultWriteThrottle (one second) by default.

    The write is trailing: the state at the end of the window is written. 0
    writes after every accepted envelope. Pending writes are done at once when
    the root unmounts, the connection is destroyed, the application quits
    (QCoreApplication::aboutToQuit) and by flush(). Negative values count as 0.
*/

/*!
    Constructs a cache with the given \a parent, disabled, in memory. A
    MusubiConnection makes its own; see MusubiConnection::cache.
*/
MusubiCache::MusubiCache(QObject *parent)
    : QObject(parent)
    , d(std::make_unique<CachePrivate>(this))
{ }

/*!
    Destroys the cache after writing the entries the throttle still holds.
*/
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

/*!
    Returns the persister in use. For Storage::Memory and Storage::Disk it is
    made on first use (and made again after storage or directory changed); for
    Storage::Custom it is the one given to setPersister(), or \c nullptr if it
    was deleted.
*/
MusubiCachePersister *MusubiCache::persister()
{
    return d->persister();
}

/*!
    Makes \a persister the storage of the cache and takes ownership of it;
    storage becomes Storage::Custom. Pending entries are written to the
    previous persister first. \c nullptr goes back to Storage::Memory.

    \code
    connection.cache()->setPersister(new KeychainPersister); // a MusubiCachePersister
    \endcode

    \sa MusubiCachePersister
*/
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

/*!
    Returns the key of the entry of a mount of \a module with \a instanceId
    and \a params: \c{<instanceId>|<module>|<params>}, where the params are
    compact JSON with sorted keys, or \c null when there are none. For
    example \c{cart-7|Shop.CartStore|{"currency":"EUR"}}.
*/
QString MusubiCache::key(const QString &module, const QString &instanceId,
                         const QVariantMap &params)
{
    return CachePrivate::keyOf(module, instanceId, QJsonObject::fromVariantMap(params));
}

/*!
    Deletes every entry. The state of mounted roots stays on screen; their
    next changes are written again.

    \sa MusubiConnection::clearCache()
*/
void MusubiCache::clear()
{
    d->clear();
}

/*!
    Writes every entry the throttle still holds, now.

    \sa writeThrottle
*/
void MusubiCache::flush()
{
    d->flushAll();
}

/*!
    \fn void MusubiCache::errorOccurred(const QString &message)

    Emitted with \a message when an entry could not be written (a full disk,
    a directory that cannot be created or written, an entry over the
    persister's size bound). The live state is not affected.
*/

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

//
//  W A R N I N G
//  -------------
// This file is not part of the public API. It may change without notice.
//

#include "musubicache.h"

#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QLoggingCategory>
#include <QtCore/QPointer>
#include <phoenixscheduler.h>

#include <functional>
#include <memory>
#include <optional>

Q_DECLARE_LOGGING_CATEGORY(lcMusubiCache) // musubi.cache: cache/musubicache.cpp

namespace Musubi::detail {

/*
    \internal
    One cache entry (docs/cache.md "Entry format"): the wire tree of a root with the
    time it was written and the buster it was written under.
*/
struct CacheEntry
{
    QString key;
    QJsonObject data;
    qint64 updatedAt = 0; // ms since the epoch
    QString buster;

    QByteArray encode() const;
    // nullopt (and \a why) for anything that is not an entry of ours.
    static std::optional<CacheEntry> decode(const QByteArray &bytes, QString *why);
};

/*
    \internal
    The engine behind MusubiCache: reads and validates entries for mounts, throttles
    their writes, runs the eviction timers of unmounted roots. Every timer runs on the
    connection's PhoenixScheduler (a manual one in tests).
*/
class MUSUBI_CORE_EXPORT CachePrivate
{
public:
    explicit CachePrivate(MusubiCache *q);
    ~CachePrivate();
    static CachePrivate *get(MusubiCache *cache) { return cache->d.get(); }

    using Snapshot = std::function<QJsonObject()>;

    // Reads the entry of \a key; \a adopt gets its data if it is usable (maybe later, never
    // after \a context died). Unusable entries are removed and logged. \a report, when
    // set, gets what the read found first: \c{{result: "hit", age_ms}}, \c{{result: "miss"}}
    // or \c{{result: "evicted", reason}} (the trace's cache records).
    void lookup(const QString &key, QObject *context,
                std::function<void(const QJsonObject &)> adopt,
                std::function<void(const QJsonObject &)> report = {});
    // The live state of \a key changed: write it (trailing throttle) from \a snapshot.
    void changed(const QString &key, QObject *context, Snapshot snapshot);
    // Writes \a key now if a write is pending.
    void flush(const QString &key);
    void flushAll();
    // A mount of \a key is held again: its eviction timer stops.
    void acquired(const QString &key);
    // The last holder of \a key let go: flush, then evict when gcTime has passed.
    void released(const QString &key);
    // Removes the entry of \a key (a root that opts out of the cache).
    void forget(const QString &key);
    void clear();

    MusubiCachePersister *persister();
    // MusubiCache::key() of params already in JSON.
    static QString keyOf(const QString &module, const QString &instanceId,
                         const QJsonObject &params);
    PhoenixScheduler *scheduler() const { return schedulerSource ? schedulerSource() : nullptr; }
    qint64 now() const { return clock ? clock() : defaultNow(); }
    static qint64 defaultNow();

    MusubiCache *q;
    bool enabled = false;
    MusubiCache::Storage storage = MusubiCache::Storage::Memory;
    QString directory; // empty: the default
    int gcTime = MusubiCache::DefaultGcTime;
    QString buster;
    int writeThrottle = MusubiCache::DefaultWriteThrottle;
    QPointer<MusubiCachePersister> current; // owned (child of q)
    std::function<PhoenixScheduler *()> schedulerSource; // the connection's (set by it)
    std::function<qint64()> clock; // wall clock in ms since the epoch (tests replace it)

    // Writes what is pending, then lets go of the persister (settings changed).
    void dropPersister();

private:
    void write(const QString &key);

    struct Live
    {
        QPointer<QObject> context;
        Snapshot snapshot;
    };
    // Keys with a write pending, each with its throttle timer; what is written comes from
    // m_live at that time.
    QHash<QString, std::shared_ptr<PhoenixSingleShot>> m_pending;
    // Every mount that wrote since it mounted: written again into a new storage.
    QHash<QString, Live> m_live;
    QHash<QString, qint64> m_updatedAt; // last known write time of each key
    QHash<QString, std::shared_ptr<PhoenixSingleShot>> m_eviction;
};

} // namespace Musubi::detail

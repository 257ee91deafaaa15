// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT

// The mount cache (docs/cache.md, docs/protocol.md §15) against MusubiTestServer over a
// real loopback WebSocket, every row over both wire profiles. Timers (write throttle,
// eviction, teardown grace) run on a manual clock: no test waits for them in real time.

#include "../common/runtimefixture.h"

#include <musubicache.h>
#include <musubicache_p.h>
#include <musubicachepersister.h>
#include <musubicommanderror.h>
#include <musubiconnection.h>
#include <musubiroot.h>
#include <musubistore.h>
#include <musubistoretree.h>
#include <musubistreammodel.h>
#include <musubitestserver.h>
#include <musubiteststore.h>
#include <phoenixscheduler.h>
#include <phoenixsocket.h>

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QJsonDocument>
#include <QtCore/QPromise>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <memory>

using namespace Qt::StringLiterals;
using MusubiTests::outcome;

namespace {

const QString Counter = u"Test.Counter"_s;

// A memory persister that counts what the cache asks of it.
class RecordingPersister : public MusubiMemoryCachePersister
{
public:
    int loads = 0;
    int saves = 0;
    int removes = 0;
    QFuture<QByteArray> load(const QString &key) override
    {
        ++loads;
        return MusubiMemoryCachePersister::load(key);
    }
    bool save(const QString &key, const QByteArray &entry) override
    {
        ++saves;
        return MusubiMemoryCachePersister::save(key, entry);
    }
    void remove(const QString &key) override
    {
        ++removes;
        MusubiMemoryCachePersister::remove(key);
    }
    QByteArray entry(const QString &key) { return MusubiMemoryCachePersister::load(key).result(); }
    // The "count" of the root store in the entry of root "a".
    int savedCount()
    {
        const QString key = MusubiCache::key(u"Test.Counter"_s, u"a"_s, {});
        return QJsonDocument::fromJson(entry(key))
                .object()
                .value(u"data"_s)
                .toObject()
                .value(u"count"_s)
                .toInt(-1);
    }
};

// A slow store: load() answers when the test says so.
class GatedPersister : public RecordingPersister
{
public:
    QFuture<QByteArray> load(const QString &key) override
    {
        ++loads;
        gate = std::make_shared<QPromise<QByteArray>>();
        gate->start();
        gateKey = key;
        return gate->future();
    }
    void open()
    {
        gate->addResult(entry(gateKey));
        gate->finish();
    }
    std::shared_ptr<QPromise<QByteArray>> gate;
    QString gateKey;
};

QByteArray entryBytes(const QString &key, const QJsonObject &data, qint64 updatedAt,
                      const QString &buster = QString())
{
    return QJsonDocument(QJsonObject{{u"musubi_cache"_s, 1},
                                     {u"key"_s, key},
                                     {u"updated_at"_s, double(updatedAt)},
                                     {u"buster"_s, buster},
                                     {u"data"_s, data}})
            .toJson(QJsonDocument::Compact);
}

// The wire tree the server below renders for \a count and \a open.
QJsonObject counterTree(int count, bool open)
{
    return {{u"__musubi_store_id__"_s, QJsonArray()},
            {u"count"_s, count},
            {u"items"_s, QJsonObject{{u"__musubi_stream__"_s, u"items"_s}}},
            {u"panel"_s,
             QJsonObject{{u"__musubi_store_id__"_s, QJsonArray{u"panel"_s}}, {u"open"_s, open}}}};
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

// A usable entry of root "a": count 5, panel closed, written a second ago.
void saveEntry(MusubiCachePersister *persister)
{
    const QString key = MusubiCache::key(Counter, u"a"_s, {});
    persister->save(key, entryBytes(key, counterTree(5, false), now() - 1000));
}

QStringList flatten(const QSignalSpy &spy)
{
    QStringList ids;
    for (const QList<QVariant> &call : spy) {
        const auto list = call.at(0).value<QList<QJsonArray>>();
        for (const QJsonArray &id : list)
            ids.append(QString::fromUtf8(QJsonDocument(id).toJson(QJsonDocument::Compact)));
    }
    return ids;
}

} // namespace

class tst_MountCache : public MusubiTests::RuntimeFixture
{
    Q_OBJECT
public:
    tst_MountCache()
        : RuntimeFixture(10000)
    { }

private Q_SLOTS:
    void init();
    void cleanup();

    void miss_data() { MusubiTests::addExplicitProtocols(); }
    void miss();
    void hit_data();
    void hit();
    void stale_data();
    void stale();
    void buster_data();
    void buster();
    void badEntry_data();
    void badEntry();
    void corruptFileOnDisk_data() { MusubiTests::addExplicitProtocols(); }
    void corruptFileOnDisk();
    void seedLosesRace_data() { MusubiTests::addExplicitProtocols(); }
    void seedLosesRace();
    void slowSeedWins_data() { MusubiTests::addExplicitProtocols(); }
    void slowSeedWins();
    void commandsQueuedThenSent_data() { MusubiTests::addExplicitProtocols(); }
    void commandsQueuedThenSent();
    void commandsFailOnRefusedMount_data() { MusubiTests::addExplicitProtocols(); }
    void commandsFailOnRefusedMount();
    void commandsFailOnUnmount_data() { MusubiTests::addExplicitProtocols(); }
    void commandsFailOnUnmount();
    void queuedCommandsTimeOut_data() { MusubiTests::addExplicitProtocols(); }
    void queuedCommandsTimeOut();
    void closeFailsQueuedCommands_data() { MusubiTests::addExplicitProtocols(); }
    void closeFailsQueuedCommands();
    void queueIsBounded_data() { MusubiTests::addExplicitProtocols(); }
    void queueIsBounded();
    void evictionAfterUnmount_data() { MusubiTests::addExplicitProtocols(); }
    void evictionAfterUnmount();
    void remountCancelsEviction_data() { MusubiTests::addExplicitProtocols(); }
    void remountCancelsEviction();
    void throttledWrites_data() { MusubiTests::addExplicitProtocols(); }
    void throttledWrites();
    void flushOnConnectionGone_data() { MusubiTests::addExplicitProtocols(); }
    void flushOnConnectionGone();
    void streamsStartEmpty_data() { MusubiTests::addExplicitProtocols(); }
    void streamsStartEmpty();
    void diskEntry_data() { MusubiTests::addExplicitProtocols(); }
    void diskEntry();
    void diskBounds_data() { MusubiTests::addExplicitProtocols(); }
    void diskBounds();
    void unwritableDirectory_data() { MusubiTests::addExplicitProtocols(); }
    void unwritableDirectory();
    void optOut_data() { MusubiTests::addExplicitProtocols(); }
    void optOut();
    void disabled_data() { MusubiTests::addExplicitProtocols(); }
    void disabled();
    void clearCache_data() { MusubiTests::addExplicitProtocols(); }
    void clearCache();
    void keyFormat();
    void readOutlivesItsMount_data() { MusubiTests::addExplicitProtocols(); }
    void readOutlivesItsMount();
    void secondHolderSeesTheSavedState_data() { MusubiTests::addExplicitProtocols(); }
    void secondHolderSeesTheSavedState();
    void optOutBeforeSlowRead_data() { MusubiTests::addExplicitProtocols(); }
    void optOutBeforeSlowRead();
    void commandFromRevalidationHandlerKeepsOrder_data() { MusubiTests::addExplicitProtocols(); }
    void commandFromRevalidationHandlerKeepsOrder();
    void dispatchAfterCloseWhileSeeded_data() { MusubiTests::addExplicitProtocols(); }
    void dispatchAfterCloseWhileSeeded();
    void evictionCountsFromTheEntrysAge_data() { MusubiTests::addExplicitProtocols(); }
    void evictionCountsFromTheEntrysAge();
    void newStorageGetsLiveRoots_data() { MusubiTests::addExplicitProtocols(); }
    void newStorageGetsLiveRoots();
    void joinRefusal_data();
    void joinRefusal();

private:
    // Timers on a manual clock; the cache on (its storage as configured so far).
    void useManualClockAndCache();
    // Cache on with a RecordingPersister, a manual clock, the row's protocol, open.
    RecordingPersister *startCached(RecordingPersister *persister = nullptr);
    std::unique_ptr<MusubiRoot> makeRoot(const QString &id = u"a"_s, const QVariantMap &params = {})
    {
        return std::make_unique<MusubiRoot>(m_connection.get(), Counter, id, params);
    }
    // Unmounts \a root and runs the teardown grace.
    void unmount(std::unique_ptr<MusubiRoot> &root)
    {
        root.reset();
        m_clock->advance(0);
    }
    static QString keyOf(const QString &id = u"a"_s, const QVariantMap &params = {})
    {
        return MusubiCache::key(Counter, id, params);
    }
    static int count(const MusubiRoot *root)
    {
        return root->store() ? root->store()->value(u"count"_s).toInt() : -1;
    }

    PhoenixManualScheduler *m_clock = nullptr;
    int m_count = 0; // the server's state, kept across mounts
    bool m_open = false;
    bool m_streamItems = true; // the root's stream has two items at mount
    QStringList m_received; // commands the server received, "name:by"
};

void tst_MountCache::init()
{
    m_count = 0;
    m_open = false;
    m_streamItems = true;
    m_received.clear();
    QVERIFY(setUpServer(Counter, [this](const MusubiTestMount &mount, QString *refusal) {
        const QJsonValue refuse = mount.params.value(u"refuse"_s);
        if (refuse.isString()) {
            *refusal = refuse.toString();
            return static_cast<MusubiTestStore *>(nullptr);
        }
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, m_count}});
        auto *panel = store->addChild({u"panel"_s}, new MusubiTestStore);
        panel->setState({{u"open"_s, m_open}});
        store->setRenderer([](const MusubiTestStore *s) {
            QJsonObject out = s->state();
            out.insert(u"items"_s, s->streamSlot(u"items"_s));
            out.insert(u"panel"_s, s->childSlot({u"panel"_s}));
            return out;
        });
        if (m_streamItems) {
            store->streamInsert(u"items"_s, u"i1"_s, QJsonObject{{u"text"_s, u"one"_s}});
            store->streamInsert(u"items"_s, u"i2"_s, QJsonObject{{u"text"_s, u"two"_s}});
        }
        store->onCommand(u"increment"_s, [this, store](const QJsonObject &payload) {
            const int by = payload.value(u"by"_s).toInt(1);
            m_received.append(u"increment:"_s + QString::number(by));
            m_count = store->value(u"count"_s).toInt() + by;
            store->setValue(u"count"_s, m_count);
            return MusubiTestReply::ok({{u"count"_s, m_count}});
        });
        return store;
    }));
    m_clock = nullptr;
}

void tst_MountCache::cleanup()
{
    tearDown();
}

void tst_MountCache::useManualClockAndCache()
{
    // Owned by the connection: its socket still uses it while the connection goes away.
    m_clock = new PhoenixManualScheduler(m_connection.get());
    m_connection->socket()->setScheduler(m_clock);
    m_connection->setHeartbeatInterval(0);
    m_connection->cache()->setEnabled(true);
}

RecordingPersister *tst_MountCache::startCached(RecordingPersister *persister)
{
    useManualClockAndCache();
    MusubiCache *cache = m_connection->cache();
    if (!persister)
        persister = new RecordingPersister;
    cache->setPersister(persister);
    start();
    return persister;
}

// No entry: the mount goes live as without a cache, and its state is written after the
// throttle window.
void tst_MountCache::miss()
{
    RecordingPersister *persister = startCached();
    auto root = makeRoot();
    QSignalSpy fromCache(root.get(), &MusubiRoot::fromCacheChanged);
    QSignalSpy revalidated(root.get(), &MusubiRoot::revalidated);
    QVERIFY(root->isFetching() == false); // not mounted yet
    root->mount();
    QVERIFY(root->isFetching());
    QVERIFY(!root->isFromCache());
    QVERIFY(!root->store());
    QVERIFY(waitLive(root.get()));
    QVERIFY(!root->isFetching());
    QCOMPARE(fromCache.count(), 0);
    QCOMPARE(revalidated.count(), 0);
    QCOMPARE(persister->loads, 1);
    QCOMPARE(persister->saves, 0);
    m_clock->advance(1000);
    QCOMPARE(persister->saves, 1);
    const QJsonObject entry = QJsonDocument::fromJson(persister->entry(keyOf())).object();
    QCOMPARE(entry.value(u"key"_s).toString(), keyOf());
    QCOMPARE(entry.value(u"data"_s).toObject(), counterTree(0, false));
    QCOMPARE(entry.value(u"data"_s).toObject(), root->storeTree()->tree());
    QVERIFY(qAbs(qint64(entry.value(u"updated_at"_s).toDouble()) - now()) < 60000);
}

void tst_MountCache::hit_data()
{
    MusubiTests::addProtocolColumns();
    QTest::addColumn<int>("liveCount");
    QTest::addColumn<bool>("liveOpen");
    QTest::addColumn<bool>("streamItems");
    QTest::addColumn<QStringList>("changed");
    const QString root = u"[]"_s;
    const QString panel = u"[\"panel\"]"_s;
    MusubiTests::addProtocolRows("identical", 5, false, false, QStringList());
    MusubiTests::addProtocolRows("root differs", 7, false, false, QStringList{root});
    // A store's node holds its children's: the root is listed with its child (§14).
    MusubiTests::addProtocolRows("child differs", 5, true, false, QStringList{root, panel});
    MusubiTests::addProtocolRows("both differ", 8, true, false, QStringList{root, panel});
    // Stream items are not cached: their insert names the root store (docs/protocol.md §14).
    MusubiTests::addProtocolRows("identical with stream items", 5, false, true, QStringList{root});
    MusubiTests::addProtocolRows("child differs with stream items", 5, true, true,
                                 QStringList{root, panel});
}

// A usable entry shows at once (version 0, Connecting); the live initial patch replaces
// it and announces only the stores that differ.
void tst_MountCache::hit()
{
    QFETCH(int, liveCount);
    QFETCH(bool, liveOpen);
    QFETCH(bool, streamItems);
    QFETCH(QStringList, changed);
    m_streamItems = streamItems;
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    const int saves = persister->saves;
    m_count = liveCount;
    m_open = liveOpen;

    auto root = makeRoot();
    QSignalSpy storesChanged(root.get(), &MusubiRoot::storesChanged);
    QSignalSpy revalidated(root.get(), &MusubiRoot::revalidated);
    QSignalSpy fromCache(root.get(), &MusubiRoot::fromCacheChanged);
    root->mount();
    // At once: before the socket has even connected.
    QVERIFY(root->store());
    QVERIFY(root->isReady());
    QVERIFY(root->isFromCache());
    QVERIFY(root->isFetching());
    QCOMPARE(root->version(), 0);
    QCOMPARE(root->status(), MusubiRoot::Status::Connecting);
    QCOMPARE(count(root.get()), 5);
    QCOMPARE(root->store({u"panel"_s})->value(u"open"_s).toBool(), false);
    QCOMPARE(flatten(storesChanged), (QStringList{u"[]"_s, u"[\"panel\"]"_s}));
    storesChanged.clear();

    QVERIFY(waitLive(root.get()));
    QCOMPARE(revalidated.count(), 1);
    QCOMPARE(fromCache.count(), 2); // true, then false
    QVERIFY(!root->isFromCache());
    QVERIFY(!root->isFetching());
    QCOMPARE(root->version(), 1);
    QCOMPARE(count(root.get()), liveCount);
    QCOMPARE(root->store({u"panel"_s})->value(u"open"_s).toBool(), liveOpen);
    QCOMPARE(flatten(storesChanged), changed);
    QCOMPARE(persister->saves, saves); // nothing written back before the throttle window
}

void tst_MountCache::stale_data()
{
    MusubiTests::addProtocolColumns();
    QTest::addColumn<qint64>("age");
    QTest::addColumn<bool>("used");
    const qint64 gc = MusubiCache::DefaultGcTime;
    MusubiTests::addProtocolRows("fresh", qint64(1000), true);
    MusubiTests::addProtocolRows("exactly gcTime", gc, true);
    MusubiTests::addProtocolRows("gcTime + 1 ms", gc + 1, false);
    MusubiTests::addProtocolRows("a day old", qint64(24 * 3600 * 1000), false);
    // A clock a little behind the writer's is tolerated; an entry from far ahead is not.
    MusubiTests::addProtocolRows("30 s in the future", qint64(-30000), true);
    MusubiTests::addProtocolRows("a year in the future", qint64(-365) * 24 * 3600 * 1000, false);
}

// An entry older than gcTime, or dated in the future, is evicted on read and not shown.
void tst_MountCache::stale()
{
    QFETCH(qint64, age);
    QFETCH(bool, used);
    const qint64 t = now();
    Musubi::detail::CachePrivate::get(m_connection->cache())->clock = [t] {
        return t;
    };
    RecordingPersister *persister = startCached();
    persister->save(keyOf(), entryBytes(keyOf(), counterTree(5, false), t - age));
    auto root = makeRoot();
    root->mount();
    QCOMPARE(root->isFromCache(), used);
    QCOMPARE(count(root.get()), used ? 5 : -1);
    QCOMPARE(persister->removes, used ? 0 : 1);
    QCOMPARE(persister->keys().isEmpty(), !used);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(count(root.get()), 0);
}

void tst_MountCache::buster_data()
{
    MusubiTests::addProtocolColumns();
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("current");
    QTest::addColumn<bool>("used");
    MusubiTests::addProtocolRows("same", u"v1"_s, u"v1"_s, true);
    MusubiTests::addProtocolRows("none", QString(), QString(), true);
    MusubiTests::addProtocolRows("changed", u"v1"_s, u"v2"_s, false);
    MusubiTests::addProtocolRows("set later", QString(), u"v2"_s, false);
}

// An entry written under another buster is evicted on read; new writes carry the buster.
void tst_MountCache::buster()
{
    QFETCH(QString, written);
    QFETCH(QString, current);
    QFETCH(bool, used);
    m_connection->cache()->setBuster(current);
    RecordingPersister *persister = startCached();
    persister->save(keyOf(), entryBytes(keyOf(), counterTree(5, false), now() - 1000, written));
    auto root = makeRoot();
    root->mount();
    QCOMPARE(root->isFromCache(), used);
    QCOMPARE(persister->removes, used ? 0 : 1);
    QVERIFY(waitLive(root.get()));
    m_clock->advance(1000);
    const QJsonObject entry = QJsonDocument::fromJson(persister->entry(keyOf())).object();
    QCOMPARE(entry.value(u"buster"_s).toString(), current);
}

void tst_MountCache::badEntry_data()
{
    MusubiTests::addProtocolColumns();
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("why");
    const QByteArray good = entryBytes(keyOf(), counterTree(5, false), now() - 1000);
    MusubiTests::addProtocolRows("not JSON", QByteArray("\x89PNG\r\n\x1a\n garbage"),
                                 u"not JSON"_s);
    MusubiTests::addProtocolRows("truncated", good.left(good.size() / 2), u"not JSON"_s);
    MusubiTests::addProtocolRows("an array", QByteArray("[1,2,3]"), u"not a JSON object"_s);
    MusubiTests::addProtocolRows(
            "foreign", QByteArray(R"({"name":"someone else's file","version":3})"), u"format"_s);
    MusubiTests::addProtocolRows("another key",
                                 entryBytes(keyOf(u"b"_s), counterTree(5, false), now() - 1000),
                                 u"another key"_s);
    QByteArray badTime = good;
    badTime.replace("\"updated_at\":", "\"updated_at\":\"yesterday\",\"x\":");
    MusubiTests::addProtocolRows("time not a number", badTime, u"wrong type"_s);
    MusubiTests::addProtocolRows("data not an object",
                                 QJsonDocument(QJsonObject{{u"musubi_cache"_s, 1},
                                                           {u"key"_s, keyOf()},
                                                           {u"updated_at"_s, double(now())},
                                                           {u"buster"_s, QString()},
                                                           {u"data"_s, QJsonArray{1, 2}}})
                                         .toJson(QJsonDocument::Compact),
                                 u"wrong type"_s);
    // Well-formed, but not the state of a root: a server never renders that.
    MusubiTests::addProtocolRows("not a root store",
                                 entryBytes(keyOf(), {{u"count"_s, 5}}, now() - 1000),
                                 u"not a root store"_s);
    QJsonObject childAsRoot = counterTree(5, false);
    childAsRoot.insert(u"__musubi_store_id__"_s, QJsonArray{u"panel"_s});
    MusubiTests::addProtocolRows("a child store", entryBytes(keyOf(), childAsRoot, now() - 1000),
                                 u"not a root store"_s);
}

// Corrupt, truncated or foreign entries are ignored, deleted and logged; the root mounts
// as without a cache.
void tst_MountCache::badEntry()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, why);
    RecordingPersister *persister = startCached();
    persister->save(keyOf(), bytes);
    auto root = makeRoot();
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(QRegularExpression::escape(keyOf()) + u".*"_s
                                            + QRegularExpression::escape(why)));
    root->mount();
    QVERIFY(!root->isFromCache());
    QVERIFY(!root->store());
    QCOMPARE(persister->removes, 1);
    QVERIFY(persister->keys().isEmpty());
    QVERIFY(waitLive(root.get()));
    QCOMPARE(count(root.get()), 0);
    m_clock->advance(1000);
    QVERIFY(!persister->entry(keyOf()).isEmpty()); // written afresh
}

// The same through the disk persister: the file is deleted.
void tst_MountCache::corruptFileOnDisk()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    m_connection->cache()->setDirectory(dir.filePath(u"cache"_s));
    useManualClockAndCache();
    auto *disk = qobject_cast<MusubiDiskCachePersister *>(m_connection->cache()->persister());
    QVERIFY(disk);
    QVERIFY(disk->save(keyOf(), "{\"musubi_cache\":1,\"key\":"));
    const QString path = disk->filePath(keyOf());
    QVERIFY(QFile::exists(path));
    start();
    auto root = makeRoot();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"ignoring and deleting"_s));
    root->mount();
    QVERIFY(!root->isFromCache());
    QVERIFY(!QFile::exists(path));
    QVERIFY(waitLive(root.get()));
}

// A slow store answers after the live initial patch: its (older) state is dropped.
void tst_MountCache::seedLosesRace()
{
    auto *persister = new GatedPersister;
    startCached(persister);
    persister->MusubiMemoryCachePersister::save(
            keyOf(), entryBytes(keyOf(), counterTree(5, true), now() - 1000));
    m_count = 2;
    auto root = makeRoot();
    QSignalSpy fromCache(root.get(), &MusubiRoot::fromCacheChanged);
    root->mount();
    QVERIFY(!root->isFromCache());
    QVERIFY(waitLive(root.get()));
    QSignalSpy storesChanged(root.get(), &MusubiRoot::storesChanged);
    persister->open();
    // The continuation runs from the event loop: give it a turn, then check nothing moved.
    QTRY_VERIFY(persister->gate->future().isFinished());
    QCoreApplication::processEvents();
    QCoreApplication::sendPostedEvents();
    QCOMPARE(fromCache.count(), 0);
    QCOMPARE(storesChanged.count(), 0);
    QCOMPARE(count(root.get()), 2);
    QCOMPARE(root->store({u"panel"_s})->value(u"open"_s).toBool(), false);
    QCOMPARE(root->version(), 1);
}

// A slow store that answers before the live patch still shows the saved state.
void tst_MountCache::slowSeedWins()
{
    auto *persister = new GatedPersister;
    startCached(persister);
    persister->MusubiMemoryCachePersister::save(
            keyOf(), entryBytes(keyOf(), counterTree(5, false), now() - 1000));
    m_server->close(); // nothing live can come first
    auto root = makeRoot();
    root->mount();
    QVERIFY(!root->store());
    persister->open();
    QTRY_VERIFY(root->isFromCache());
    QCOMPARE(count(root.get()), 5);
    QCOMPARE(root->version(), 0);
}

// Commands dispatched while showing saved state wait for the live state, then go out in
// order; their replies come back as usual.
void tst_MountCache::commandsQueuedThenSent()
{
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    m_count = 5;
    auto root = makeRoot();
    root->mount();
    QVERIFY(root->isFromCache());
    QFuture<QJsonValue> first = root->dispatch({}, u"increment"_s, {{u"by"_s, 1}});
    QFuture<QJsonValue> second = root->dispatch({}, u"increment"_s, {{u"by"_s, 10}});
    QFuture<QJsonValue> third = root->store()->dispatch(u"increment"_s, {{u"by"_s, 100}});
    QVERIFY(!first.isFinished());
    QVERIFY(!third.isFinished());
    QVERIFY(waitLive(root.get()));
    QVERIFY(finishes(third));
    QVERIFY(finishes(first) && finishes(second));
    QCOMPARE(outcome(first), u"ok"_s);
    QCOMPARE(first.result().toObject().value(u"count"_s).toInt(), 6);
    QCOMPARE(second.result().toObject().value(u"count"_s).toInt(), 16);
    QCOMPARE(third.result().toObject().value(u"count"_s).toInt(), 116);
    QCOMPARE(m_received, (QStringList{u"increment:1"_s, u"increment:10"_s, u"increment:100"_s}));
    QTRY_COMPARE(count(root.get()), 116);
}

// The server refuses the mount: queued commands fail with MountFailed, never sent; the
// saved state stays on screen with status Failed.
void tst_MountCache::commandsFailOnRefusedMount()
{
    const QVariantMap params{{u"refuse"_s, u"no such cart"_s}};
    RecordingPersister *persister = startCached();
    persister->save(keyOf(u"a"_s, params),
                    entryBytes(keyOf(u"a"_s, params), counterTree(5, false), now() - 1000));
    auto root = makeRoot(u"a"_s, params);
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"no such cart"_s));
    root->mount();
    QVERIFY(root->isFromCache());
    QFuture<QJsonValue> first = root->dispatch({}, u"increment"_s);
    QFuture<QJsonValue> second = root->dispatch({}, u"increment"_s);
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Failed);
    QVERIFY(first.isFinished() && second.isFinished());
    QCOMPARE(outcome(first), u"mount_failed"_s);
    QCOMPARE(outcome(second), u"mount_failed"_s);
    QCOMPARE(MusubiTests::commandError(first)->kind(), MusubiCommandError::Kind::MountFailed);
    QVERIFY(m_received.isEmpty());
    QVERIFY(root->isFromCache()); // still the saved state
    QVERIFY(!root->isFetching());
    QCOMPARE(count(root.get()), 5);
    // ... but not on the next start: the server refused this root.
    QVERIFY(persister->keys().isEmpty());
    // After the refusal commands are refused at once.
    QCOMPARE(outcome(root->dispatch({}, u"increment"_s)), u"not_connected"_s);
}

void tst_MountCache::commandsFailOnUnmount()
{
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    auto root = makeRoot();
    root->mount();
    QFuture<QJsonValue> queued = root->dispatch({}, u"increment"_s);
    QVERIFY(!queued.isFinished());
    unmount(root);
    QVERIFY(queued.isFinished());
    QCOMPARE(outcome(queued), u"unmounted"_s);
    QVERIFY(m_received.isEmpty());
}

// A queued command keeps the push timeout: not sent after it, even when the root goes live.
void tst_MountCache::queuedCommandsTimeOut()
{
    m_connection->setPushTimeout(500);
    const int port = m_server->port();
    m_server->close(); // the server is down at start
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    auto root = makeRoot();
    root->mount();
    QVERIFY(root->isFromCache());
    QFuture<QJsonValue> late = root->dispatch({}, u"increment"_s);
    m_clock->advance(499);
    QVERIFY(!late.isFinished());
    QFuture<QJsonValue> inTime = root->dispatch({}, u"increment"_s, {{u"by"_s, 2}});
    m_clock->advance(1);
    QVERIFY(late.isFinished());
    QCOMPARE(outcome(late), u"timeout"_s);
    QVERIFY(MusubiTests::commandError(late)->message().contains(u"not sent"_s));
    QVERIFY(!inTime.isFinished());
    // The server comes up: the reconnect ladder's next step finds it.
    QVERIFY(m_server->listen(port));
    m_clock->advance(400);
    QVERIFY(waitLive(root.get()));
    QVERIFY(finishes(inTime));
    QCOMPARE(outcome(inTime), u"ok"_s);
    QCOMPARE(m_received, QStringList{u"increment:2"_s});
}

void tst_MountCache::closeFailsQueuedCommands()
{
    m_server->close();
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    auto root = makeRoot();
    root->mount();
    QFuture<QJsonValue> queued = root->dispatch({}, u"increment"_s);
    QVERIFY(!queued.isFinished());
    m_connection->close();
    QVERIFY(queued.isFinished());
    QCOMPARE(outcome(queued), u"disconnected"_s);
    QVERIFY(root->isFromCache()); // the saved state stays readable
    QCOMPARE(count(root.get()), 5);
}

void tst_MountCache::queueIsBounded()
{
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    m_count = 5;
    auto root = makeRoot();
    root->mount();
    QList<QFuture<QJsonValue>> futures;
    for (int i = 0; i < 32; ++i)
        futures.append(root->dispatch({}, u"increment"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"32 commands already wait"_s));
    QFuture<QJsonValue> over = root->dispatch({}, u"increment"_s);
    QVERIFY(over.isFinished());
    QCOMPARE(outcome(over), u"not_connected"_s);
    QVERIFY(waitLive(root.get()));
    for (const auto &future : std::as_const(futures))
        QVERIFY(finishes(future));
    QCOMPARE(m_received.size(), 32);
    QTRY_COMPARE(count(root.get()), 37);
}

// After the last holder let go, the entry lives for the rest of gcTime (from its write).
void tst_MountCache::evictionAfterUnmount()
{
    m_connection->cache()->setGcTime(10000);
    RecordingPersister *persister = startCached();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    m_clock->advance(400);
    unmount(root); // flushes: written now (t = 400)
    QCOMPARE(persister->saves, 1);
    QCOMPARE(persister->keys(), QStringList{keyOf()});
    m_clock->advance(9990);
    QCOMPARE(persister->keys(), QStringList{keyOf()});
    QCOMPARE(persister->removes, 0);
    m_clock->advance(10);
    QCOMPARE(persister->removes, 1);
    QVERIFY(persister->keys().isEmpty());
}

void tst_MountCache::remountCancelsEviction()
{
    m_connection->cache()->setGcTime(10000);
    RecordingPersister *persister = startCached();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    m_count = 3;
    unmount(root);
    m_clock->advance(5000);
    root = makeRoot();
    root->mount();
    QVERIFY(root->isFromCache()); // within gcTime: shown
    QCOMPARE(count(root.get()), 0);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(count(root.get()), 3);
    m_clock->advance(60000);
    QCOMPARE(persister->removes, 0); // the timer of the first mount is gone
    QVERIFY(!persister->keys().isEmpty());
}

// Writes: trailing, one per window per key, with the latest state; unmount flushes.
void tst_MountCache::throttledWrites()
{
    RecordingPersister *persister = startCached();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QCOMPARE(persister->saves, 0);
    m_clock->advance(999);
    QCOMPARE(persister->saves, 0);
    m_clock->advance(1);
    QCOMPARE(persister->saves, 1);

    for (int i = 1; i <= 3; ++i) {
        QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
        QTRY_COMPARE(count(root.get()), i);
    }
    QCOMPARE(persister->saves, 1);
    m_clock->advance(1000);
    QCOMPARE(persister->saves, 2);
    QCOMPARE(persister->savedCount(), 3);
    m_clock->advance(5000);
    QCOMPARE(persister->saves, 2); // nothing changed: nothing written

    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(count(root.get()), 4);
    unmount(root); // no waiting for the window
    QCOMPARE(persister->saves, 3);
    QCOMPARE(persister->savedCount(), 4);
    m_clock->advance(1000);
    QCOMPARE(persister->saves, 3);
}

void tst_MountCache::flushOnConnectionGone()
{
    auto *persister = new RecordingPersister;
    startCached(persister);
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(count(root.get()), 1);
    QCOMPARE(persister->saves, 0);
    // Take the persister out of the connection's hands before it goes.
    persister->setParent(nullptr);
    std::unique_ptr<RecordingPersister> owned(persister);
    m_connection.reset();
    QCOMPARE(owned->saves, 1);
    QCOMPARE(owned->savedCount(), 1);
}

// Stream items are not cached: the stream is empty while the saved state shows and fills
// from the live patch.
void tst_MountCache::streamsStartEmpty()
{
    RecordingPersister *persister = startCached();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QCOMPARE(root->storeTree()->stream({}, u"items"_s)->rowCount(), 2);
    unmount(root);
    const QJsonObject data =
            QJsonDocument::fromJson(persister->entry(keyOf())).object().value(u"data"_s).toObject();
    QCOMPARE(data.value(u"items"_s).toObject(),
             (QJsonObject{{u"__musubi_stream__"_s, u"items"_s}}));
    QVERIFY(!persister->entry(keyOf()).contains("one"));

    root = makeRoot();
    root->mount();
    QVERIFY(root->isFromCache());
    MusubiStreamModel *items = root->storeTree()->stream({}, u"items"_s);
    QVERIFY(items);
    QCOMPARE(items->rowCount(), 0);
    QVERIFY(waitLive(root.get()));
    QCOMPARE(root->storeTree()->stream({}, u"items"_s)->rowCount(), 2);
}

void tst_MountCache::diskEntry()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(u"nested/cache"_s);
    m_connection->cache()->setDirectory(path);
    QCOMPARE(m_connection->cache()->storage(), MusubiCache::Storage::Disk);
    useManualClockAndCache();
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(count(root.get()), 1);
    unmount(root);
    const QStringList files = QDir(path).entryList(QDir::Files);
    QCOMPARE(files.size(), 1);
    QVERIFY(!files.first().contains(u"Counter"_s)); // a hashed name
    constexpr auto everyone = QFileDevice::Permissions(0x7077);
    QCOMPARE(QFileInfo(path).permissions() & everyone,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QFileInfo file(QDir(path).filePath(files.first()));
    QCOMPARE(file.permissions() & everyone, QFileDevice::ReadOwner | QFileDevice::WriteOwner);

    // A second connection (a restart) finds it.
    MusubiConnection again;
    again.setUrl(QUrl(u"ws://127.0.0.1:1/socket/websocket"_s)); // nobody listens there
    again.cache()->setEnabled(true);
    again.cache()->setDirectory(path);
    MusubiRoot offline(&again, Counter, u"a"_s);
    offline.mount();
    QVERIFY(offline.isFromCache());
    QCOMPARE(count(&offline), 1);
}

void tst_MountCache::diskBounds()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto *disk = new MusubiDiskCachePersister(dir.path());
    disk->setMaxEntries(2);
    useManualClockAndCache();
    m_connection->cache()->setPersister(disk);
    start();
    for (const QString &id : {u"a"_s, u"b"_s, u"c"_s}) {
        auto root = makeRoot(id);
        QVERIFY(mountLive(root.get()));
        unmount(root);
    }
    QCOMPARE(disk->entryCount(), 2);
    QVERIFY(!QFile::exists(disk->filePath(keyOf(u"a"_s)))); // least recently used
    QVERIFY(QFile::exists(disk->filePath(keyOf(u"c"_s))));
}

// A directory that cannot be written never touches the live state.
void tst_MountCache::unwritableDirectory()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString blocker = dir.filePath(u"file"_s);
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    m_connection->cache()->setDirectory(blocker + u"/cache"_s); // below a regular file
    useManualClockAndCache();
    QSignalSpy errors(m_connection->cache(), &MusubiCache::errorOccurred);
    start();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u".*"_s));
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u"Could not write the cache entry"_s));
    m_clock->advance(1000);
    QCOMPARE(errors.count(), 1);
    QVERIFY(errors.first().first().toString().contains(keyOf()));
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(count(root.get()), 1);
    QCOMPARE(root->version(), 2);
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
}

// A root with cache: false removes its entry, is not seeded and never written.
void tst_MountCache::optOut()
{
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    persister->save(keyOf(u"b"_s), entryBytes(keyOf(u"b"_s), counterTree(9, false), now()));
    const int saves = persister->saves;
    auto root = makeRoot();
    root->setCacheEnabled(false);
    root->mount();
    QVERIFY(!root->isFromCache());
    QCOMPARE(persister->keys(), QStringList{keyOf(u"b"_s)});
    QVERIFY(waitLive(root.get()));
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(count(root.get()), 1);
    m_clock->advance(5000);
    unmount(root);
    QCOMPARE(persister->saves, saves);
    QCOMPARE(persister->keys(), QStringList{keyOf(u"b"_s)});

    // Opting out while mounted stops writes and removes the entry too.
    root = makeRoot(u"b"_s);
    root->mount();
    QVERIFY(root->isFromCache());
    QVERIFY(waitLive(root.get()));
    root->setCacheEnabled(false);
    QVERIFY(persister->keys().isEmpty());
    m_clock->advance(5000);
    unmount(root);
    QCOMPARE(persister->saves, saves);
}

void tst_MountCache::disabled()
{
    auto *persister = new RecordingPersister;
    startCached(persister);
    m_connection->cache()->setEnabled(false);
    saveEntry(persister);
    auto root = makeRoot();
    root->mount();
    QVERIFY(!root->isFromCache());
    QVERIFY(waitLive(root.get()));
    m_clock->advance(5000);
    unmount(root);
    QCOMPARE(persister->loads, 0);
    QCOMPARE(persister->saves, 1); // only the test's own
}

void tst_MountCache::clearCache()
{
    RecordingPersister *persister = startCached();
    persister->save(keyOf(u"b"_s), entryBytes(keyOf(u"b"_s), counterTree(9, false), now()));
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    m_clock->advance(1000);
    QCOMPARE(persister->keys().size(), 2);
    m_connection->clearCache();
    QVERIFY(persister->keys().isEmpty());
    QCOMPARE(count(root.get()), 0); // the live state stays
    QCOMPARE(root->status(), MusubiRoot::Status::Live);
}

void tst_MountCache::keyFormat()
{
    QCOMPARE(MusubiCache::key(u"Shop.Cart"_s, u"cart-7"_s, {}), u"cart-7|Shop.Cart|null"_s);
    QCOMPARE(MusubiCache::key(
                     u"Shop.Cart"_s, u"cart-7"_s,
                     {{u"z"_s, 1}, {u"a"_s, QVariantMap{{u"y"_s, true}, {u"b"_s, u"x"_s}}}}),
             u"cart-7|Shop.Cart|{\"a\":{\"b\":\"x\",\"y\":true},\"z\":1}"_s);
}

// A slow read that answers after its mount was torn down and deleted delivers nothing.
void tst_MountCache::readOutlivesItsMount()
{
    auto *persister = new GatedPersister;
    startCached(persister);
    saveEntry(persister);
    auto root = makeRoot();
    root->mount();
    QVERIFY(waitLive(root.get()));
    unmount(root);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete); // the mount is gone
    persister->open();
    QCoreApplication::processEvents();
    QCOMPARE(persister->removes, 0);
    // The next mount reads afresh and sees the entry the first one wrote (the server is
    // down now, so the read wins).
    m_server->close();
    root = makeRoot();
    root->mount();
    persister->open();
    QTRY_VERIFY(root->isFromCache());
    QCOMPARE(count(root.get()), 0);
}

// A second root of the same identity shares the mount and sees what the first sees.
void tst_MountCache::secondHolderSeesTheSavedState()
{
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    auto first = makeRoot();
    first->mount();
    QVERIFY(first->isFromCache());
    auto second = makeRoot();
    QSignalSpy secondStores(second.get(), &MusubiRoot::storesChanged);
    QSignalSpy secondRevalidated(second.get(), &MusubiRoot::revalidated);
    QSignalSpy secondFromCache(second.get(), &MusubiRoot::fromCacheChanged);
    second->mount();
    QVERIFY(second->isFromCache());
    QVERIFY(second->isFetching());
    QCOMPARE(count(second.get()), 5);
    QCOMPARE(secondFromCache.count(), 1);
    QCOMPARE(flatten(secondStores), (QStringList{u"[]"_s, u"[\"panel\"]"_s}));
    QCOMPARE(persister->loads, 1); // one mount, one read
    QVERIFY(waitLive(second.get()));
    QCOMPARE(secondRevalidated.count(), 1);
    QVERIFY(!second->isFromCache() && !first->isFromCache());
    QCOMPARE(secondFromCache.count(), 2);
}

// Holder B opts out while holder A's read is still on its way: the answer is dropped.
void tst_MountCache::optOutBeforeSlowRead()
{
    auto *persister = new GatedPersister;
    startCached(persister);
    saveEntry(persister);
    m_server->close(); // keep the live state away
    auto a = makeRoot();
    a->mount();
    auto b = makeRoot();
    b->setCacheEnabled(false);
    b->mount();
    QVERIFY(persister->keys().isEmpty());
    persister->gate->addResult(entryBytes(keyOf(), counterTree(5, false), now() - 1000));
    persister->gate->finish();
    QCoreApplication::processEvents();
    QCoreApplication::processEvents();
    QVERIFY(!a->isFromCache());
    QVERIFY(!b->store());
}

// A command dispatched from a handler of the revalidating patch goes behind the queue.
void tst_MountCache::commandFromRevalidationHandlerKeepsOrder()
{
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    m_count = 6;
    auto root = makeRoot();
    root->mount();
    QFuture<QJsonValue> queued = root->dispatch({}, u"increment"_s, {{u"by"_s, 1}});
    QFuture<QJsonValue> fromHandler;
    bool sawFromCache = true;
    connect(root.get(), &MusubiRoot::storesChanged, this, [&] {
        if (root->version() == 1 && !fromHandler.isValid()) {
            sawFromCache = root->isFromCache();
            fromHandler = root->dispatch({}, u"increment"_s, {{u"by"_s, 100}});
        }
    });
    QVERIFY(waitLive(root.get()));
    QVERIFY(finishes(queued));
    QVERIFY(fromHandler.isValid() && finishes(fromHandler));
    QVERIFY(!sawFromCache); // handlers of the live patch read live state
    QCOMPARE(m_received, (QStringList{u"increment:1"_s, u"increment:100"_s}));
}

void tst_MountCache::dispatchAfterCloseWhileSeeded()
{
    m_server->close();
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    auto root = makeRoot();
    root->mount();
    QVERIFY(root->isFromCache());
    m_connection->close();
    QFuture<QJsonValue> refused = root->dispatch({}, u"increment"_s);
    QVERIFY(refused.isFinished());
    QCOMPARE(outcome(refused), u"not_connected"_s);
}

// The eviction timer runs for what is left of gcTime since the entry was written, also
// for a root that showed saved state and never went live.
void tst_MountCache::evictionCountsFromTheEntrysAge()
{
    qint64 t = now();
    Musubi::detail::CachePrivate::get(m_connection->cache())->clock = [&t] {
        return t;
    };
    m_connection->cache()->setGcTime(10000);
    m_server->close();
    RecordingPersister *persister = startCached();
    persister->save(keyOf(), entryBytes(keyOf(), counterTree(5, false), t - 9000));
    auto root = makeRoot();
    root->mount();
    QVERIFY(root->isFromCache());
    unmount(root);
    QCOMPARE(persister->saves, 1); // nothing written back
    m_clock->advance(999);
    QCOMPARE(persister->removes, 0);
    m_clock->advance(1);
    QCOMPARE(persister->removes, 1);
    QVERIFY(persister->keys().isEmpty());
}

// Switching storage writes pending entries to the old one and the live roots to the new.
void tst_MountCache::newStorageGetsLiveRoots()
{
    RecordingPersister *first = startCached();
    auto root = makeRoot();
    QVERIFY(mountLive(root.get()));
    QVERIFY(finishes(root->dispatch({}, u"increment"_s)));
    QTRY_COMPARE(count(root.get()), 1);
    QCOMPARE(first->saves, 0);
    QPointer<RecordingPersister> old(first);
    first->setParent(nullptr);
    std::unique_ptr<RecordingPersister> keep(first);
    auto *second = new RecordingPersister;
    m_connection->cache()->setPersister(second);
    QCOMPARE(first->saves, 1); // the pending write went where it was meant to
    QCOMPARE(second->saves, 0);
    m_clock->advance(1000);
    QCOMPARE(second->saves, 1);
    QCOMPARE(second->savedCount(), 1);
}

void tst_MountCache::joinRefusal_data()
{
    MusubiTests::addProtocolColumns();
    QTest::addColumn<bool>("kept");
    // Profile S: the shared channel's join refused is the connection's refusal, not the
    // root's: the entry stays. Profile R: the root's own channel was refused.
    QTest::newRow("shared") << MusubiTestServer::Profile::Both
                            << MusubiConnection::Protocol::SharedChannel << true;
    QTest::newRow("per-root") << MusubiTestServer::Profile::Both
                              << MusubiConnection::Protocol::PerRootChannel << false;
}

void tst_MountCache::joinRefusal()
{
    QFETCH(bool, kept);
    m_server->setJoinAuthenticator(
            [](const QString &, const QJsonObject &, const QVariantMap &) { return false; });
    RecordingPersister *persister = startCached();
    saveEntry(persister);
    auto root = makeRoot();
    QTest::ignoreMessage(QtWarningMsg, QRegularExpression(u".*"_s));
    root->mount();
    QVERIFY(root->isFromCache());
    QTRY_COMPARE(root->status(), MusubiRoot::Status::Failed);
    QCOMPARE(persister->keys().isEmpty(), !kept);
}

QTEST_MAIN(tst_MountCache)
#include "tst_mountcache.moc"

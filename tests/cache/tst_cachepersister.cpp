// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// The persisters of the mount cache: MusubiMemoryCachePersister and
// MusubiDiskCachePersister (file names, permissions, atomic writes, bounds,
// least-recently-used eviction, failures). No test waits: modification times
// are set explicitly where their order matters.

#include <musubicachepersister.h>

#include <QtCore/QCryptographicHash>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QRegularExpression>
#include <QtCore/QScopeGuard>
#include <QtCore/QStandardPaths>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

// The permission bits of \a path (-1 if it cannot be stat'ed).
int modeOf(const QString &path)
{
    struct stat st = {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return int(st.st_mode & 07777);
}

bool setModified(const QString &path, const QDateTime &time)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly)
            && file.setFileTime(time, QFileDevice::FileModificationTime);
}

QDateTime modified(const QString &path)
{
    return QFileInfo(path).fileTime(QFileDevice::FileModificationTime);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

// Everything in \a directory but . and .., sorted by code point.
QStringList listing(const QString &directory)
{
    QStringList names = QDir(directory).entryList(QDir::AllEntries | QDir::Hidden | QDir::System
                                                  | QDir::NoDotAndDotDot);
    names.sort();
    return names;
}

QString hashedName(const QString &key)
{
    return QString::fromLatin1(
                   QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256).toHex())
            + u".mcache"_s;
}

QByteArray loadNow(MusubiCachePersister &persister, const QString &key)
{
    QFuture<QByteArray> future = persister.load(key);
    // Both built-in persisters answer at once.
    if (!future.isFinished())
        return QByteArrayLiteral("<not finished>");
    return future.result();
}

QRegularExpression warning(const QString &prefix, const QString &path)
{
    return QRegularExpression(u"^"_s + QRegularExpression::escape(prefix + u' ' + path)
                              + u": .+"_s);
}

bool runningAsRoot()
{
    return ::geteuid() == 0;
}

} // namespace

class tst_CachePersister : public QObject
{
    Q_OBJECT

private slots:
    void init();

    void memoryRoundTrip();
    void memoryRemoveAndClear();

    void diskRoundTrip_data();
    void diskRoundTrip();
    void diskFileNameIsHashed_data();
    void diskFileNameIsHashed();
    void diskLoadMissingKey();
    void diskDirectoryMadeOnFirstSave();
    void diskExistingDirectoryKeepsPermissions();
    void diskFilesAreOwnerOnly();
    void diskUntrustedDirectory_data();
    void diskUntrustedDirectory();
    void diskAtomicWriteLeavesNoTempFiles();
    void diskEviction_data();
    void diskEviction();
    void diskEvictionKeepsFileJustWritten();
    void diskLoadMarksUse();
    void diskOversizedEntryRefused_data();
    void diskOversizedEntryRefused();
    void diskOversizedFileDeletedOnLoad();
    void diskRemove();
    void diskClearKeepsForeignFiles();
    void diskEntryCountAndSize();
    void diskUnwritableDirectory();
    void diskUnusableDirectory_data();
    void diskUnusableDirectory();
    void diskEntryPathIsADirectory();
    void diskBounds();
    void diskDefaultDirectory();
};

void tst_CachePersister::init()
{
    // A warning nobody announced with QTest::ignoreMessage() fails the test.
    QTest::failOnWarning(QRegularExpression(u".*"_s));
}

void tst_CachePersister::memoryRoundTrip()
{
    MusubiMemoryCachePersister persister;
    QCOMPARE(loadNow(persister, u"missing"_s), QByteArray());

    QVERIFY(persister.save(u"b"_s, "second"));
    QVERIFY(persister.save(u"a"_s, QByteArray("\0one", 4)));
    QCOMPARE(loadNow(persister, u"a"_s), QByteArray("\0one", 4));
    QCOMPARE(loadNow(persister, u"b"_s), "second");
    QCOMPARE(persister.keys(), QStringList({u"a"_s, u"b"_s}));

    QVERIFY(persister.save(u"a"_s, "replaced"));
    QCOMPARE(loadNow(persister, u"a"_s), "replaced");
    QCOMPARE(persister.keys().size(), 2);
}

void tst_CachePersister::memoryRemoveAndClear()
{
    MusubiMemoryCachePersister persister;
    QVERIFY(persister.save(u"c"_s, "3"));
    QVERIFY(persister.save(u"a"_s, "1"));
    QVERIFY(persister.save(u"b"_s, "2"));

    persister.remove(u"b"_s);
    persister.remove(u"never saved"_s);
    QCOMPARE(persister.keys(), QStringList({u"a"_s, u"c"_s}));
    QCOMPARE(loadNow(persister, u"b"_s), QByteArray());
    QCOMPARE(loadNow(persister, u"c"_s), "3");

    persister.clear();
    QCOMPARE(persister.keys(), QStringList());
    QCOMPARE(loadNow(persister, u"a"_s), QByteArray());
}

void tst_CachePersister::diskRoundTrip_data()
{
    QTest::addColumn<QByteArray>("entry");

    QTest::newRow("text") << QByteArray("{\"v\":1}");
    QTest::newRow("one byte") << QByteArray("x");
    QTest::newRow("binary") << QByteArray("\0\x01\xff\0\n\r", 6);
    QByteArray big(1024 * 1024 + 7, '\0');
    for (qsizetype i = 0; i < big.size(); ++i)
        big[i] = char(i * 31 % 251);
    QTest::newRow("1 MiB") << big;
}

void tst_CachePersister::diskRoundTrip()
{
    QFETCH(QByteArray, entry);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));

    QVERIFY(persister.save(u"root"_s, "an older entry"));
    QVERIFY(persister.save(u"root"_s, entry));
    QCOMPARE(loadNow(persister, u"root"_s), entry);
    QCOMPARE(persister.entryCount(), 1);
    QCOMPARE(persister.size(), qint64(entry.size()));

    // A second persister on the same directory reads what the first wrote.
    MusubiDiskCachePersister other(tmp.filePath(u"cache"_s));
    QCOMPARE(loadNow(other, u"root"_s), entry);
}

void tst_CachePersister::diskFileNameIsHashed_data()
{
    QTest::addColumn<QString>("key");

    QTest::newRow("plain") << u"Shop.CartStore:c1"_s;
    QTest::newRow("slashes") << u"a/b/c"_s;
    QTest::newRow("absolute") << u"/etc/passwd"_s;
    QTest::newRow("dot dot") << u"../../escape"_s;
    QTest::newRow("only dot dot") << u".."_s;
    QTest::newRow("empty") << QString();
    QTest::newRow("unicode") << u"ключ/日本語/🔑 ü"_s;
    QTest::newRow("whitespace") << u" a b\tc\n"_s;
    QTest::newRow("long") << QString(5000, u'k');
}

void tst_CachePersister::diskFileNameIsHashed()
{
    QFETCH(QString, key);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);

    const QString path = persister.filePath(key);
    QCOMPARE(path, directory + u'/' + hashedName(key));
    QVERIFY(QRegularExpression(u"^[0-9a-f]{64}\\.mcache$"_s)
                    .match(QFileInfo(path).fileName())
                    .hasMatch());

    QVERIFY(persister.save(key, "entry"));
    QCOMPARE(loadNow(persister, key), "entry");
    // The file is where filePath() says and nothing else was made, in or beside the directory.
    QCOMPARE(listing(directory), QStringList{hashedName(key)});
    QCOMPARE(listing(tmp.path()), QStringList{u"cache"_s});
}

void tst_CachePersister::diskLoadMissingKey()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.path());
    QVERIFY(persister.save(u"present"_s, "here"));

    QFuture<QByteArray> future = persister.load(u"absent"_s);
    QVERIFY(future.isFinished());
    QCOMPARE(future.result(), QByteArray());
    // In a directory that does not exist (yet), too.
    MusubiDiskCachePersister nowhere(tmp.filePath(u"not/made"_s));
    QCOMPARE(loadNow(nowhere, u"present"_s), QByteArray());
}

void tst_CachePersister::diskDirectoryMadeOnFirstSave()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"parent/child/cache"_s);
    MusubiDiskCachePersister persister(directory);
    QCOMPARE(persister.directory(), directory);

    // Reading, removing, counting and clearing make nothing.
    QCOMPARE(loadNow(persister, u"k"_s), QByteArray());
    persister.remove(u"k"_s);
    persister.clear();
    QCOMPARE(persister.entryCount(), 0);
    QCOMPARE(persister.size(), 0);
    QVERIFY(!QFileInfo::exists(tmp.filePath(u"parent"_s)));

    QVERIFY(persister.save(u"k"_s, "v"));
    QVERIFY(QFileInfo(directory).isDir());
    QCOMPARE(modeOf(directory), 0700);
}

void tst_CachePersister::diskExistingDirectoryKeepsPermissions()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"shared"_s);
    QVERIFY(QDir().mkdir(directory));
    QVERIFY(::chmod(QFile::encodeName(directory).constData(), 0755) == 0);

    MusubiDiskCachePersister persister(directory);
    QVERIFY(persister.save(u"k"_s, "v"));
    QCOMPARE(modeOf(directory), 0755);
    QCOMPARE(modeOf(persister.filePath(u"k"_s)), 0600);
}

void tst_CachePersister::diskUntrustedDirectory_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("otherOwner");
    QTest::newRow("group writable") << 0770 << false;
    QTest::newRow("world writable (a shared /tmp)") << 01777 << false;
    QTest::newRow("another user's") << 0700 << true;
}

// A directory someone else could have filled is neither read nor written: planted
// entries would be shown as state.
void tst_CachePersister::diskUntrustedDirectory()
{
    QFETCH(int, mode);
    QFETCH(bool, otherOwner);
    if (otherOwner && !runningAsRoot())
        QSKIP("only root can give a directory to another user");
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);
    QVERIFY(persister.save(u"planted"_s, "planted"));
    const QByteArray native = QFile::encodeName(directory);
    QVERIFY(::chmod(native.constData(), mode_t(mode)) == 0);
    if (otherOwner)
        QVERIFY(::chown(native.constData(), 65534, 65534) == 0);
    const auto restore = qScopeGuard([&] {
        if (otherOwner)
            QVERIFY(::chown(native.constData(), ::geteuid(), ::getegid()) == 0);
    });

    const QRegularExpression refused(u"not using cache directory .*"_s
                                     + QRegularExpression::escape(u"cache"_s));
    QTest::ignoreMessage(QtWarningMsg, refused);
    QCOMPARE(loadNow(persister, u"planted"_s), QByteArray());
    QTest::ignoreMessage(QtWarningMsg, refused);
    QVERIFY(!persister.save(u"new"_s, "new"));
    QVERIFY(!QFile::exists(persister.filePath(u"new"_s)));
}

void tst_CachePersister::diskFilesAreOwnerOnly()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));

    QVERIFY(persister.save(u"new"_s, "fresh"));
    QCOMPARE(modeOf(persister.filePath(u"new"_s)), 0600);

    // A replaced file does not pass its looser permissions on.
    const QString replaced = persister.filePath(u"replaced"_s);
    QVERIFY(writeFile(replaced, "old"));
    QVERIFY(::chmod(QFile::encodeName(replaced).constData(), 0644) == 0);
    QVERIFY(persister.save(u"replaced"_s, "new"));
    QCOMPARE(modeOf(replaced), 0600);
    QCOMPARE(loadNow(persister, u"replaced"_s), "new");

    const QFileDevice::Permissions groupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup
            | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
            | QFileDevice::ExeOther;
    QCOMPARE(QFileInfo(replaced).permissions() & groupOrOther, QFileDevice::Permissions());
}

void tst_CachePersister::diskAtomicWriteLeavesNoTempFiles()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);
    persister.setMaxEntrySize(100);

    QStringList expected;
    for (int i = 0; i < 5; ++i) {
        const QString key = u"key %1"_s.arg(i);
        QVERIFY(persister.save(key, QByteArray(10 + i, 'a')));
        QVERIFY(persister.save(key, QByteArray(20 + i, 'b'))); // replaced in place
        expected << hashedName(key);
    }
    // A refused write leaves nothing behind either.
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^not writing cache entry .*more than"_s));
    QVERIFY(!persister.save(u"too big"_s, QByteArray(101, 'c')));

    expected.sort();
    QCOMPARE(listing(directory), expected);
    QCOMPARE(persister.entryCount(), 5);
    QCOMPARE(persister.size(), qint64(20 + 21 + 22 + 23 + 24));
}

void tst_CachePersister::diskEviction_data()
{
    QTest::addColumn<int>("maxEntries");
    QTest::addColumn<qint64>("maxSize");
    QTest::addColumn<QString>("loaded");
    QTest::addColumn<int>("newSize");
    QTest::addColumn<QStringList>("kept");

    // Before the save of "new": entries a, b, c of 100 bytes each, a the oldest, c the newest;
    // then "loaded" (if any) is read, which makes it the most recently used.
    const qint64 noLimit = MusubiDiskCachePersister::DefaultMaxSize;
    QTest::newRow("count: the oldest goes")
            << 3 << noLimit << QString() << 100 << QStringList{u"b"_s, u"c"_s, u"new"_s};
    QTest::newRow("count: a loaded entry stays")
            << 3 << noLimit << u"a"_s << 100 << QStringList{u"a"_s, u"c"_s, u"new"_s};
    QTest::newRow("count: two go")
            << 2 << noLimit << u"b"_s << 100 << QStringList{u"b"_s, u"new"_s};
    QTest::newRow("size: the oldest goes")
            << 100 << qint64(300) << QString() << 100 << QStringList{u"b"_s, u"c"_s, u"new"_s};
    QTest::newRow("size: a loaded entry stays")
            << 100 << qint64(300) << u"a"_s << 100 << QStringList{u"a"_s, u"c"_s, u"new"_s};
    QTest::newRow("size: as many as needed go")
            << 100 << qint64(300) << u"b"_s << 150 << QStringList{u"b"_s, u"new"_s};
    QTest::newRow("size: all others go")
            << 100 << qint64(300) << u"c"_s << 300 << QStringList{u"new"_s};
    QTest::newRow("within bounds: all stay") << 4 << qint64(400) << QString() << 100
                                             << QStringList{u"a"_s, u"b"_s, u"c"_s, u"new"_s};
}

void tst_CachePersister::diskEviction()
{
    QFETCH(int, maxEntries);
    QFETCH(qint64, maxSize);
    QFETCH(QString, loaded);
    QFETCH(int, newSize);
    QFETCH(QStringList, kept);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));

    // Ages set explicitly, an hour ago and later: saving in order within one clock tick
    // would not order them.
    const QDateTime hourAgo = QDateTime::currentDateTimeUtc().addSecs(-3600);
    const QStringList old{u"a"_s, u"b"_s, u"c"_s};
    for (qsizetype i = 0; i < old.size(); ++i) {
        QVERIFY(persister.save(old[i], QByteArray(100, char('a' + i))));
        QVERIFY(setModified(persister.filePath(old[i]), hourAgo.addSecs(60 * i)));
    }
    persister.setMaxEntries(maxEntries);
    persister.setMaxSize(maxSize);
    if (!loaded.isEmpty())
        QCOMPARE(loadNow(persister, loaded), QByteArray(100, loaded.at(0).toLatin1()));

    QVERIFY(persister.save(u"new"_s, QByteArray(newSize, 'n')));

    QStringList present;
    for (const QString &key : {u"a"_s, u"b"_s, u"c"_s, u"new"_s}) {
        if (QFileInfo::exists(persister.filePath(key)))
            present << key;
    }
    QCOMPARE(present, kept);
    QCOMPARE(persister.entryCount(), kept.size());
    QVERIFY(persister.entryCount() <= maxEntries);
    QVERIFY(persister.size() <= maxSize);
    for (const QString &key : std::as_const(kept))
        QVERIFY(!loadNow(persister, key).isEmpty());
}

void tst_CachePersister::diskEvictionKeepsFileJustWritten()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));
    persister.setMaxEntries(2);

    // The others look newer than anything written now (a clock set back, say): the file
    // just written would be the oldest, yet an older one goes.
    const QDateTime future = QDateTime::currentDateTimeUtc().addDays(1);
    QVERIFY(persister.save(u"x"_s, "x"));
    QVERIFY(setModified(persister.filePath(u"x"_s), future));
    QVERIFY(persister.save(u"y"_s, "y"));
    QVERIFY(setModified(persister.filePath(u"y"_s), future.addSecs(60)));

    QVERIFY(persister.save(u"z"_s, "z"));
    QVERIFY(QFileInfo::exists(persister.filePath(u"z"_s)));
    QVERIFY(!QFileInfo::exists(persister.filePath(u"x"_s)));
    QVERIFY(QFileInfo::exists(persister.filePath(u"y"_s)));

    // With room for one entry only, the new one is it.
    persister.setMaxEntries(1);
    QVERIFY(persister.save(u"w"_s, "w"));
    QCOMPARE(persister.entryCount(), 1);
    QCOMPARE(loadNow(persister, u"w"_s), "w");
}

void tst_CachePersister::diskLoadMarksUse()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));
    QVERIFY(persister.save(u"k"_s, "v"));
    const QString path = persister.filePath(u"k"_s);
    const QDateTime longAgo = QDateTime::currentDateTimeUtc().addDays(-30);
    QVERIFY(setModified(path, longAgo));
    QCOMPARE(modified(path), longAgo);

    const QDateTime before = QDateTime::currentDateTimeUtc().addSecs(-1);
    QCOMPARE(loadNow(persister, u"k"_s), "v");
    QVERIFY2(modified(path) >= before, qPrintable(modified(path).toString(Qt::ISODateWithMs)));

    // A missing key marks nothing and makes no file.
    QCOMPARE(loadNow(persister, u"other"_s), QByteArray());
    QVERIFY(!QFileInfo::exists(persister.filePath(u"other"_s)));
}

void tst_CachePersister::diskOversizedEntryRefused_data()
{
    QTest::addColumn<qint64>("maxEntrySize");
    QTest::addColumn<qint64>("maxSize");
    QTest::addColumn<int>("size");
    QTest::addColumn<bool>("written");

    QTest::newRow("above maxEntrySize") << qint64(10) << qint64(1000) << 11 << false;
    QTest::newRow("above maxSize") << qint64(1000) << qint64(10) << 11 << false;
    QTest::newRow("far above both") << qint64(10) << qint64(10) << 4096 << false;
    QTest::newRow("at both limits") << qint64(10) << qint64(10) << 10 << true;
}

void tst_CachePersister::diskOversizedEntryRefused()
{
    QFETCH(qint64, maxEntrySize);
    QFETCH(qint64, maxSize);
    QFETCH(int, size);
    QFETCH(bool, written);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));
    persister.setMaxEntrySize(maxEntrySize);
    persister.setMaxSize(maxSize);
    QVERIFY(persister.save(u"k"_s, "old"));

    const QByteArray entry(size, 'e');
    if (!written) {
        QTest::ignoreMessage(QtWarningMsg,
                             warning(u"not writing cache entry"_s, persister.filePath(u"k"_s)));
    }
    QCOMPARE(persister.save(u"k"_s, entry), written);
    // A refused entry leaves the one before in place.
    QCOMPARE(loadNow(persister, u"k"_s), written ? entry : QByteArray("old"));
    QCOMPARE(persister.size(), written ? qint64(size) : qint64(3));

    if (!written) {
        QTest::ignoreMessage(QtWarningMsg,
                             warning(u"not writing cache entry"_s, persister.filePath(u"new"_s)));
        QVERIFY(!persister.save(u"new"_s, entry));
        QVERIFY(!QFileInfo::exists(persister.filePath(u"new"_s)));
    }
}

void tst_CachePersister::diskOversizedFileDeletedOnLoad()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));
    QVERIFY(persister.save(u"big"_s, QByteArray(64, 'b')));
    QVERIFY(persister.save(u"small"_s, QByteArray(16, 's')));

    persister.setMaxEntrySize(32);
    const QString path = persister.filePath(u"big"_s);
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^removing cache entry "_s
                                            + QRegularExpression::escape(path)
                                            + u": 64 bytes, more than the maximum of 32 bytes$"_s));
    QCOMPARE(loadNow(persister, u"big"_s), QByteArray());
    QVERIFY(!QFileInfo::exists(path));
    QCOMPARE(loadNow(persister, u"small"_s), QByteArray(16, 's'));
    QCOMPARE(persister.entryCount(), 1);

    // Not even read: a (sparse) file of 256 MiB goes at once, by its size alone.
    persister.setMaxEntrySize(MusubiDiskCachePersister::DefaultMaxEntrySize);
    const qint64 huge = qint64(256) * 1024 * 1024;
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(file.resize(huge));
    }
    QTest::ignoreMessage(
            QtWarningMsg,
            QRegularExpression(u"^removing cache entry "_s + QRegularExpression::escape(path)
                               + u": %1 bytes, more than the maximum of %2 bytes$"_s.arg(huge).arg(
                                       persister.maxEntrySize())));
    QCOMPARE(loadNow(persister, u"big"_s), QByteArray());
    QVERIFY(!QFileInfo::exists(path));
}

void tst_CachePersister::diskRemove()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    MusubiDiskCachePersister persister(tmp.filePath(u"cache"_s));
    QVERIFY(persister.save(u"a"_s, "1"));
    QVERIFY(persister.save(u"b"_s, "2"));

    persister.remove(u"a"_s);
    QVERIFY(!QFileInfo::exists(persister.filePath(u"a"_s)));
    QCOMPARE(loadNow(persister, u"a"_s), QByteArray());
    QCOMPARE(loadNow(persister, u"b"_s), "2");
    persister.remove(u"a"_s); // again: nothing to do, no warning
    persister.remove(u"never saved"_s);
    QCOMPARE(persister.entryCount(), 1);
}

void tst_CachePersister::diskClearKeepsForeignFiles()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);
    for (const QString &key : {u"a"_s, u"b"_s, u"c"_s})
        QVERIFY(persister.save(key, key.toUtf8()));

    const QStringList foreign{u"NOTES.MCACHE"_s, u"notes.txt"_s, u"sub"_s, u"x.mcache.bak"_s};
    QVERIFY(writeFile(directory + u"/notes.txt"_s, "mine"));
    QVERIFY(writeFile(directory + u"/x.mcache.bak"_s, "mine"));
    QVERIFY(writeFile(directory + u"/NOTES.MCACHE"_s, "mine"));
    QVERIFY(QDir(directory).mkdir(u"sub"_s));
    QVERIFY(writeFile(directory + u"/sub/y.mcache"_s, "mine"));

    QCOMPARE(persister.entryCount(), 3);
    persister.clear();
    QCOMPARE(persister.entryCount(), 0);
    QCOMPARE(persister.size(), 0);
    QCOMPARE(listing(directory), foreign);
    QCOMPARE(listing(directory + u"/sub"_s), QStringList{u"y.mcache"_s});
    QCOMPARE(loadNow(persister, u"a"_s), QByteArray());

    // An empty directory stays as well.
    QVERIFY(persister.save(u"a"_s, "1"));
    QVERIFY(QDir(directory + u"/sub"_s).removeRecursively());
    for (const QString &name : {u"NOTES.MCACHE"_s, u"notes.txt"_s, u"x.mcache.bak"_s})
        QVERIFY(QFile::remove(directory + u'/' + name));
    QCOMPARE(listing(directory), QStringList{hashedName(u"a"_s)});
    persister.clear();
    QVERIFY(QFileInfo(directory).isDir());
    QCOMPARE(listing(directory), QStringList());
}

void tst_CachePersister::diskEntryCountAndSize()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);
    QVERIFY(persister.save(u"a"_s, QByteArray(10, 'a')));
    QVERIFY(persister.save(u"b"_s, QByteArray(25, 'b')));
    QVERIFY(writeFile(directory + u"/foreign.txt"_s, QByteArray(1000, 'f')));
    QVERIFY(QDir(directory).mkdir(u"dir.mcache"_s));

    QCOMPARE(persister.entryCount(), 2);
    QCOMPARE(persister.size(), qint64(35));

    // Foreign files do not count towards the bounds either.
    persister.setMaxSize(40);
    QVERIFY(persister.save(u"c"_s, QByteArray(5, 'c')));
    QCOMPARE(persister.entryCount(), 3);
    QVERIFY(QFileInfo::exists(directory + u"/foreign.txt"_s));
}

void tst_CachePersister::diskUnwritableDirectory()
{
    if (runningAsRoot())
        QSKIP("root writes into a read-only directory anyway");

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);
    QVERIFY(persister.save(u"kept"_s, "kept"));

    const QByteArray native = QFile::encodeName(directory);
    QVERIFY(::chmod(native.constData(), 0500) == 0);
    const auto restore = qScopeGuard([&] { ::chmod(native.constData(), 0700); });

    QTest::ignoreMessage(QtWarningMsg,
                         warning(u"cannot write cache entry"_s, persister.filePath(u"new"_s)));
    QVERIFY(!persister.save(u"new"_s, "new"));
    QCOMPARE(loadNow(persister, u"new"_s), QByteArray());
    QCOMPARE(loadNow(persister, u"kept"_s), "kept");

    QTest::ignoreMessage(QtWarningMsg,
                         warning(u"cannot remove cache entry"_s, persister.filePath(u"kept"_s)));
    persister.remove(u"kept"_s);
    QTest::ignoreMessage(QtWarningMsg,
                         warning(u"cannot remove cache entry"_s, persister.filePath(u"kept"_s)));
    persister.clear();
    QCOMPARE(persister.entryCount(), 1);
    QCOMPARE(listing(directory), QStringList{hashedName(u"kept"_s)});
}

void tst_CachePersister::diskUnusableDirectory_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("directory");
    QTest::addColumn<QString>("reason");

    // These fail for root as well.
    QTest::newRow("parent is a regular file")
            << u"file"_s << u"file/cache"_s << u"%1 is not a directory"_s;
    QTest::newRow("ancestor is a regular file")
            << u"file"_s << u"file/deeper/cache"_s << u"%1 is not a directory"_s;
    QTest::newRow("directory is a regular file")
            << u"file"_s << u"file"_s << u"it exists and is not a directory"_s;
}

void tst_CachePersister::diskUnusableDirectory()
{
    QFETCH(QString, file);
    QFETCH(QString, directory);
    QFETCH(QString, reason);

    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString filePath = tmp.filePath(file);
    QVERIFY(writeFile(filePath, "not a directory"));
    MusubiDiskCachePersister persister(tmp.filePath(directory));

    const QRegularExpression expected(
            u"^"_s
            + QRegularExpression::escape(u"cannot create cache directory %1: %2"_s.arg(
                    persister.directory(),
                    reason.contains(u"%1"_s) ? reason.arg(filePath) : reason))
            + u"$"_s);
    for (int i = 0; i < 2; ++i) { // and again: nothing was left half done
        QTest::ignoreMessage(QtWarningMsg, expected);
        QVERIFY(!persister.save(u"k"_s, "v"));
    }
    QCOMPARE(loadNow(persister, u"k"_s), QByteArray());
    persister.remove(u"k"_s);
    persister.clear();
    QCOMPARE(persister.entryCount(), 0);
    QCOMPARE(persister.size(), 0);
    QCOMPARE(listing(tmp.path()), QStringList{file});
}

void tst_CachePersister::diskEntryPathIsADirectory()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString directory = tmp.filePath(u"cache"_s);
    MusubiDiskCachePersister persister(directory);
    const QString path = persister.filePath(u"k"_s);
    QVERIFY(QDir().mkpath(path));

    QTest::ignoreMessage(QtWarningMsg, warning(u"cannot write cache entry"_s, path));
    QVERIFY(!persister.save(u"k"_s, "v"));
    QTest::ignoreMessage(QtWarningMsg,
                         QRegularExpression(u"^cannot read cache entry "_s
                                            + QRegularExpression::escape(path)
                                            + u": not a regular file$"_s));
    QCOMPARE(loadNow(persister, u"k"_s), QByteArray());
    // No temporary file left behind, the directory untouched.
    QCOMPARE(listing(directory), QStringList{QFileInfo(path).fileName()});
    QVERIFY(QFileInfo(path).isDir());
}

void tst_CachePersister::diskBounds()
{
    MusubiDiskCachePersister persister(u"/nonexistent/never/made"_s);
    QCOMPARE(persister.maxEntries(), 256);
    QCOMPARE(persister.maxSize(), qint64(64) * 1024 * 1024);
    QCOMPARE(persister.maxEntrySize(), qint64(16) * 1024 * 1024);
    QCOMPARE(MusubiDiskCachePersister::DefaultMaxEntries, persister.maxEntries());
    QCOMPARE(MusubiDiskCachePersister::DefaultMaxSize, persister.maxSize());
    QCOMPARE(MusubiDiskCachePersister::DefaultMaxEntrySize, persister.maxEntrySize());

    persister.setMaxEntries(7);
    persister.setMaxSize(1000);
    persister.setMaxEntrySize(100);
    QCOMPARE(persister.maxEntries(), 7);
    QCOMPARE(persister.maxSize(), qint64(1000));
    QCOMPARE(persister.maxEntrySize(), qint64(100));

    persister.setMaxEntries(0);
    persister.setMaxSize(-5);
    persister.setMaxEntrySize(-5);
    QCOMPARE(persister.maxEntries(), 1);
    QCOMPARE(persister.maxSize(), qint64(0));
    QCOMPARE(persister.maxEntrySize(), qint64(0));
}

void tst_CachePersister::diskDefaultDirectory()
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    QVERIFY(!cache.isEmpty());
    QCOMPARE(MusubiDiskCachePersister::defaultDirectory(), cache + u"/musubi"_s);

    // An empty directory means the default one (nothing is made before a save).
    MusubiDiskCachePersister persister{QString()};
    QCOMPARE(persister.directory(), QDir::cleanPath(MusubiDiskCachePersister::defaultDirectory()));

    // A relative one is made absolute, and cleaned.
    MusubiDiskCachePersister relative(u"some/../cache/"_s);
    QCOMPARE(relative.directory(), QDir::current().absoluteFilePath(u"cache"_s));
}

QTEST_GUILESS_MAIN(tst_CachePersister)

#include "tst_cachepersister.moc"

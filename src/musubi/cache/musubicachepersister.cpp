// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubicachepersister.h"
#include "musubicache_p.h"

#include <QtCore/QCryptographicHash>
#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QSaveFile>
#include <QtCore/QStandardPaths>

#include <algorithm>
#include <vector>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace {

// Owner read and write (0600) for entry files, plus owner execute (0700) for the directory.
// Qt's "User" bits name the current user; on Unix they map to the owner bits too.
constexpr QFileDevice::Permissions EntryPermissions = QFileDevice::ReadOwner
        | QFileDevice::WriteOwner | QFileDevice::ReadUser | QFileDevice::WriteUser;
constexpr QFileDevice::Permissions DirectoryPermissions =
        EntryPermissions | QFileDevice::ExeOwner | QFileDevice::ExeUser;
constexpr QFileDevice::Permissions GroupOrOtherPermissions = QFileDevice::ReadGroup
        | QFileDevice::WriteGroup | QFileDevice::ExeGroup | QFileDevice::ReadOther
        | QFileDevice::WriteOther | QFileDevice::ExeOther;

constexpr auto EntrySuffix = ".mcache"_L1;

// The entry files of \a directory: "*.mcache", case-sensitive, files only.
QFileInfoList entryFiles(const QString &directory)
{
    return QDir(directory).entryInfoList({u"*"_s + EntrySuffix},
                                         QDir::Files | QDir::Hidden | QDir::CaseSensitive);
}

// QDir::mkpath() and QDir::mkdir() give no reason when they fail: this names the first
// ancestor of \a path that exists and says what stops a directory from being made below it.
QString whyNoDirectory(const QString &path)
{
    QFileInfo info(path);
    while (!info.exists() && !info.isSymLink()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            return u"no part of the path exists"_s;
        info = QFileInfo(parent);
    }
    if (!info.isDir())
        return u"%1 is not a directory"_s.arg(info.absoluteFilePath());
    if (!info.isWritable())
        return u"%1 is not writable"_s.arg(info.absoluteFilePath());
    return u"the directory could not be created"_s;
}

// A user name fit for a file name (the fallback directory in the shared temporary directory).
QString userNameForPath()
{
    QString name = qEnvironmentVariable("USER");
    if (name.isEmpty())
        name = qEnvironmentVariable("USERNAME");
#ifdef Q_OS_UNIX
    if (name.isEmpty())
        name = QString::number(::getuid());
#endif
    if (name.isEmpty())
        name = u"user"_s;
    for (QChar &c : name) {
        if (!c.isLetterOrNumber() && c != u'-' && c != u'_' && c != u'.')
            c = u'_';
    }
    return name;
}

// Reads the entry file at \a path (an empty array for none or on any failure) and marks it
// used by setting its modification time to now.
QByteArray readEntry(const QString &path, qint64 maxEntrySize)
{
    const QFileInfo info(path);
    if (!info.exists())
        return {};
    if (!info.isFile()) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot read cache entry %1: not a regular file"_s.arg(path);
        return {};
    }
    QFile file(path);
    const auto refuse = [&](const QString &why) {
        qCWarning(lcMusubiCache).noquote()
                << u"removing cache entry %1: %2, more than the maximum of %3 bytes"_s.arg(
                           path, why, QString::number(maxEntrySize));
        if (!file.remove()) {
            qCWarning(lcMusubiCache).noquote()
                    << u"cannot remove cache entry %1: %2"_s.arg(path, file.errorString());
        }
    };
    // Checked before reading: an oversized file is never loaded into memory.
    if (info.size() > maxEntrySize) {
        refuse(u"%1 bytes"_s.arg(info.size()));
        return {};
    }
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot read cache entry %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot read cache entry %1: %2"_s.arg(path, file.errorString());
        return {};
    }
    if (bytes.size() > maxEntrySize) { // it grew after the size check
        file.close();
        refuse(u"%1 bytes read (it grew)"_s.arg(bytes.size()));
        return {};
    }
    // The use that least-recently-used eviction goes by.
    if (!file.setFileTime(QDateTime::currentDateTimeUtc(), QFileDevice::FileModificationTime)) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot mark cache entry %1 as used: %2"_s.arg(path, file.errorString());
    }
    return bytes;
}

} // namespace

/*!
    \class MusubiCachePersister
    \inmodule MusubiCore
    \inheaderfile musubicachepersister.h
    \brief Where the mount cache keeps its entries: an abstract store of byte arrays by key.

    The mount cache reads an entry when a root mounts and writes it again as the root's
    state changes. A persister only stores bytes: it never parses an entry, and the cache
    validates whatever load() gives back (an entry that is not one of its own is removed).
    Keys are strings chosen by the cache; a persister must accept any of them, including
    keys with \c{/}, \c{..} or any other Unicode text.

    Two persisters come with Musubi: MusubiMemoryCachePersister (entries live as long as
    the object) and MusubiDiskCachePersister (one file per entry, bounded in count and
    size). Subclass this class to keep entries elsewhere, for example in a database or a
    platform key store:

    \list
    \li load() returns a QFuture. It may be finished already (as with the built-in
        persisters) or finish later, for a store that answers asynchronously. The result
        is the stored bytes, or an empty QByteArray when there is no entry.
    \li save() replaces the entry of a key. It returns \c false when the entry could not
        be stored; the entry stored before, if any, should then stay as it was.
    \li remove() and clear() delete one entry or all of them.
    \endlist

    A persister lives in one thread like any QObject; its functions are called from that
    thread only. Failures are reported by the return value of save() and by logging, never
    by exceptions.

    \sa MusubiMemoryCachePersister, MusubiDiskCachePersister
*/

/*!
    \fn QFuture<QByteArray> MusubiCachePersister::load(const QString &key)

    Reads the entry stored under \a key. The future's result is the entry, or an empty
    QByteArray when there is none (or it cannot be read). The future may finish after this
    function returned.
*/

/*!
    \fn bool MusubiCachePersister::save(const QString &key, const QByteArray &entry)

    Stores \a entry under \a key, replacing any entry stored before. Returns \c false when
    the entry could not be stored.
*/

/*!
    \fn void MusubiCachePersister::remove(const QString &key)

    Deletes the entry stored under \a key, if any.
*/

/*!
    \fn void MusubiCachePersister::clear()

    Deletes every entry.
*/

/*!
    Constructs a persister with the given \a parent.
*/
MusubiCachePersister::MusubiCachePersister(QObject *parent)
    : QObject(parent)
{ }

MusubiCachePersister::~MusubiCachePersister() = default;

/*!
    \class MusubiMemoryCachePersister
    \inmodule MusubiCore
    \inheaderfile musubicachepersister.h
    \brief A cache persister that keeps its entries in memory, for the lifetime of the object.

    Entries survive a reconnection or the remount of a root, but not the end of the
    process. There is no bound on their number or size. load() returns a finished future.

    \sa MusubiCachePersister, MusubiDiskCachePersister
*/

/*!
    Constructs an empty memory persister with the given \a parent.
*/
MusubiMemoryCachePersister::MusubiMemoryCachePersister(QObject *parent)
    : MusubiCachePersister(parent)
{ }

MusubiMemoryCachePersister::~MusubiMemoryCachePersister() = default;

/*!
    Returns a finished future holding the entry stored under \a key, or an empty
    QByteArray when there is none.
*/
QFuture<QByteArray> MusubiMemoryCachePersister::load(const QString &key)
{
    return QtFuture::makeReadyFuture(m_entries.value(key));
}

/*!
    Stores \a entry under \a key, replacing any entry stored before. Always returns \c true.
*/
bool MusubiMemoryCachePersister::save(const QString &key, const QByteArray &entry)
{
    m_entries.insert(key, entry);
    return true;
}

/*!
    Deletes the entry stored under \a key, if any.
*/
void MusubiMemoryCachePersister::remove(const QString &key)
{
    m_entries.remove(key);
}

/*!
    Deletes every entry.
*/
void MusubiMemoryCachePersister::clear()
{
    m_entries.clear();
}

/*!
    Returns the keys that have an entry, sorted.
*/
QStringList MusubiMemoryCachePersister::keys() const
{
    QStringList keys = m_entries.keys();
    keys.sort();
    return keys;
}

/*!
    \class MusubiDiskCachePersister
    \inmodule MusubiCore
    \inheaderfile musubicachepersister.h
    \brief A cache persister that keeps each entry in a file of a private directory.

    \section1 Files

    The entry of a key is the file \c{<hash>.mcache} in directory(), where \c{<hash>} is the
    SHA-256 of the key's UTF-8 bytes in lowercase hexadecimal (filePath() gives it). A key
    therefore never becomes part of a path: a key holding \c{/}, \c{..} or any other text
    stays inside the directory, and the file names do not reveal the keys. The bytes of an
    entry are written as they are; the persister does not parse them.

    The directory is made on the first save(): its missing parents with QDir::mkpath() and
    the default permissions, the directory itself with permissions \c 0700 (its owner
    only). A directory that existed already keeps its permissions, and is used only when
    it belongs to the current user and neither its group nor others may write to it
    (otherwise nothing is read or written there, with a warning): entries another user
    planted would be shown as state. Entry
    files are written atomically with QSaveFile (a reader never sees half an entry, and a
    failed write leaves the previous entry in place) and get permissions \c 0600 (read and
    write for their owner only) before they replace the previous file.

    \section1 Bounds and eviction

    Three bounds limit what the directory holds:

    \table
    \header \li Bound \li Default \li Meaning
    \row \li maxEntries() \li 256 (DefaultMaxEntries) \li entry files in the directory
    \row \li maxSize() \li 64 MiB (DefaultMaxSize) \li total size of the entry files
    \row \li maxEntrySize() \li 16 MiB (DefaultMaxEntrySize) \li size of one entry
    \endtable

    An entry larger than maxEntrySize() or maxSize() is not written: save() logs a warning
    and returns \c false. After every successful save() the least recently used entry files
    are deleted, oldest first, until both maxEntries() and maxSize() hold again; the file
    just written is never among them. "Used" means written by save() or read by load():
    load() sets the modification time of the file it reads to the current time, and
    eviction goes by modification time. A file larger than maxEntrySize() found by load()
    (written by another configuration, or by something else) is deleted without being
    read.

    \section1 Failures

    Every failure (the directory cannot be created or written to, the disk is full, a file
    cannot be read or deleted) is logged as a warning in the \c musubi.cache category with
    the path concerned and the reason; save() then returns \c false and load() an empty
    QByteArray. Nothing throws.

    remove() deletes the entry file of a key. clear() deletes every \c{*.mcache} file of the
    directory and nothing else: other files, subdirectories and the directory itself stay.
    Only one persister should use a given directory at a time.

    \sa MusubiCachePersister, MusubiMemoryCachePersister
*/

/*!
    \variable MusubiDiskCachePersister::DefaultMaxEntries
    \brief The default of maxEntries(): 256 entries.
*/

/*!
    \variable MusubiDiskCachePersister::DefaultMaxSize
    \brief The default of maxSize(): 64 MiB.
*/

/*!
    \variable MusubiDiskCachePersister::DefaultMaxEntrySize
    \brief The default of maxEntrySize(): 16 MiB.
*/

/*!
    Constructs a persister whose entries live in \a directory, with the given \a parent. An
    empty \a directory means defaultDirectory(); a relative one is resolved against the
    current directory now. Nothing is created before the first save().
*/
MusubiDiskCachePersister::MusubiDiskCachePersister(const QString &directory, QObject *parent)
    : MusubiCachePersister(parent)
    , m_directory(QDir::cleanPath(
              QDir(directory.isEmpty() ? defaultDirectory() : directory).absolutePath()))
{ }

MusubiDiskCachePersister::~MusubiDiskCachePersister() = default;

/*!
    Returns the directory a disk persister uses when given none: the subdirectory \c musubi
    of the application's cache location (QStandardPaths::CacheLocation, which depends on
    the organization and application names), or, where there is no cache location,
    \c{musubi-cache-<user>} in the temporary directory (QDir::tempPath()).
*/
QString MusubiDiskCachePersister::defaultDirectory()
{
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (!cache.isEmpty())
        return cache + "/musubi"_L1;
    return QDir::tempPath() + "/musubi-cache-"_L1 + userNameForPath();
}

/*!
    Returns the directory that holds the entry files, as an absolute path.
*/
QString MusubiDiskCachePersister::directory() const
{
    return m_directory;
}

/*!
    Returns the largest number of entry files the directory keeps; DefaultMaxEntries (256)
    unless set with setMaxEntries().
*/
int MusubiDiskCachePersister::maxEntries() const
{
    return m_maxEntries;
}

/*!
    Keeps at most \a count entry files (at least 1: a smaller \a count is taken as 1). The
    bound is applied at the next save().
*/
void MusubiDiskCachePersister::setMaxEntries(int count)
{
    m_maxEntries = std::max(count, 1);
}

/*!
    Returns the largest total size in bytes of the entry files; DefaultMaxSize (64 MiB)
    unless set with setMaxSize().
*/
qint64 MusubiDiskCachePersister::maxSize() const
{
    return m_maxSize;
}

/*!
    Keeps the entry files at most \a bytes in total (a negative value is taken as 0). An
    entry larger than this is never written. The bound is applied at the next save().
*/
void MusubiDiskCachePersister::setMaxSize(qint64 bytes)
{
    m_maxSize = std::max<qint64>(bytes, 0);
}

/*!
    Returns the largest size in bytes of one entry; DefaultMaxEntrySize (16 MiB) unless set
    with setMaxEntrySize().
*/
qint64 MusubiDiskCachePersister::maxEntrySize() const
{
    return m_maxEntrySize;
}

/*!
    Refuses to write entries larger than \a bytes (a negative value is taken as 0), and
    deletes without reading an entry file larger than that when load() finds one.
*/
void MusubiDiskCachePersister::setMaxEntrySize(qint64 bytes)
{
    m_maxEntrySize = std::max<qint64>(bytes, 0);
}

/*!
    Returns the path of the file that holds, or would hold, the entry of \a key:
    \c{<directory>/<hash>.mcache}, where \c{<hash>} is the SHA-256 of the UTF-8 bytes of
    \a key in lowercase hexadecimal.
*/
QString MusubiDiskCachePersister::filePath(const QString &key) const
{
    const QByteArray hash = QCryptographicHash::hash(key.toUtf8(), QCryptographicHash::Sha256);
    return m_directory + u'/' + QLatin1StringView(hash.toHex()) + EntrySuffix;
}

/*!
    Returns the number of entry files (\c{*.mcache}) in the directory now.
*/
int MusubiDiskCachePersister::entryCount() const
{
    return int(entryFiles(m_directory).size());
}

/*!
    Returns the total size in bytes of the entry files (\c{*.mcache}) in the directory now.
*/
qint64 MusubiDiskCachePersister::size() const
{
    qint64 total = 0;
    for (const QFileInfo &info : entryFiles(m_directory))
        total += info.size();
    return total;
}

/*!
    Reads the entry file of \a key and returns a finished future holding its bytes, or an
    empty QByteArray when there is no such file or it cannot be read (a warning is logged
    then). Reading the file sets its modification time to now, which makes it the most
    recently used entry. A file larger than maxEntrySize() is deleted without being read.
*/
QFuture<QByteArray> MusubiDiskCachePersister::load(const QString &key)
{
    if (!directoryTrusted())
        return QtFuture::makeReadyFuture(QByteArray());
    return QtFuture::makeReadyFuture(readEntry(filePath(key), m_maxEntrySize));
}

/*!
    Writes \a entry as the entry file of \a key, atomically and with permissions \c 0600,
    creating the directory first if needed; then deletes the least recently used other
    entries until maxEntries() and maxSize() hold.

    Returns \c false, with a warning logged, when \a entry is larger than maxEntrySize() or
    maxSize(), or when the directory or the file cannot be written; the entry stored before
    under \a key, if any, is then left as it was.
*/
bool MusubiDiskCachePersister::save(const QString &key, const QByteArray &entry)
{
    const QString path = filePath(key);
    const qint64 size = entry.size();
    if (size > m_maxEntrySize || size > m_maxSize) {
        qCWarning(lcMusubiCache).noquote()
                << u"not writing cache entry %1: %2 bytes, more than the maximum of %3 bytes"_s
                           .arg(path)
                           .arg(size)
                           .arg(std::min(m_maxEntrySize, m_maxSize));
        return false;
    }
    if (!ensureDirectory())
        return false;

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot write cache entry %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    if (file.write(entry) != size) {
        // Not committed: QSaveFile's destructor deletes the temporary file.
        qCWarning(lcMusubiCache).noquote()
                << u"cannot write cache entry %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    // On the temporary file, so the entry is never readable by others, not even briefly.
    // (QSaveFile gives a new file the default permissions, a replacement those of the file
    // it replaces.)
    const bool restricted = file.setPermissions(EntryPermissions);
    if (!file.commit()) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot write cache entry %1: %2"_s.arg(path, file.errorString());
        return false;
    }
    if (!restricted || (QFileInfo(path).permissions() & GroupOrOtherPermissions)) {
        QFile written(path);
        if (!written.setPermissions(EntryPermissions)) {
            qCWarning(lcMusubiCache).noquote()
                    << u"cannot restrict the permissions of cache entry %1: %2"_s.arg(
                               path, written.errorString());
        }
    }
    enforceBounds(path);
    return true;
}

/*!
    Deletes the entry file of \a key, if there is one. A file that cannot be deleted is
    logged as a warning.
*/
void MusubiDiskCachePersister::remove(const QString &key)
{
    QFile file(filePath(key));
    if (file.exists() && !file.remove()) {
        qCWarning(lcMusubiCache).noquote()
                << u"cannot remove cache entry %1: %2"_s.arg(file.fileName(), file.errorString());
    }
}

/*!
    Deletes every entry file (\c{*.mcache}) of the directory. Other files, subdirectories
    and the directory itself are left alone. A file that cannot be deleted is logged as a
    warning.
*/
void MusubiDiskCachePersister::clear()
{
    for (const QFileInfo &info : entryFiles(m_directory)) {
        QFile file(info.absoluteFilePath());
        if (!file.remove()) {
            qCWarning(lcMusubiCache).noquote() << u"cannot remove cache entry %1: %2"_s.arg(
                    file.fileName(), file.errorString());
        }
    }
}

// Makes the directory if it does not exist: its parents with QDir::mkpath(), the
// directory itself with mode 0700. An existing directory is used as it is.
/*
    An existing directory is used only when it is the current user's and nobody else may
    write to it: entries planted by another user (a shared /tmp, a directory made by
    someone else first) would be shown as state.
*/
bool MusubiDiskCachePersister::directoryTrusted() const
{
    const QFileInfo info(m_directory);
    if (!info.exists())
        return true;
    QString why;
#ifdef Q_OS_UNIX
    if (info.isDir() && info.ownerId() != uint(::geteuid()))
        why = u"it belongs to another user"_s;
#endif
    if (why.isEmpty() && info.isDir()
        && (info.permissions() & (QFileDevice::WriteGroup | QFileDevice::WriteOther)))
        why = u"others may write to it"_s;
    if (why.isEmpty())
        return true;
    qCWarning(lcMusubiCache).noquote()
            << u"not using cache directory %1: %2"_s.arg(m_directory, why);
    return false;
}

bool MusubiDiskCachePersister::ensureDirectory()
{
    const QFileInfo info(m_directory);
    if (info.isDir())
        return directoryTrusted();
    if (info.exists() || info.isSymLink()) {
        qCWarning(lcMusubiCache).noquote() << u"cannot create cache directory %1: %2"_s.arg(
                m_directory, u"it exists and is not a directory"_s);
        return false;
    }
    const QDir root;
    const bool created =
            root.mkpath(info.absolutePath()) && root.mkdir(m_directory, DirectoryPermissions);
    if (!created) {
        // Maybe made meanwhile by someone else: then it is not ours to change.
        if (QFileInfo(m_directory).isDir())
            return directoryTrusted();
        qCWarning(lcMusubiCache).noquote() << u"cannot create cache directory %1: %2"_s.arg(
                m_directory, whyNoDirectory(m_directory));
        return false;
    }
    // mkdir() is subject to the umask: make sure nobody else got any access.
    if (QFileInfo(m_directory).permissions() & GroupOrOtherPermissions) {
        QFile directory(m_directory);
        if (!directory.setPermissions(DirectoryPermissions)) {
            qCWarning(lcMusubiCache).noquote()
                    << u"cannot restrict the permissions of cache directory %1: %2"_s.arg(
                               m_directory, directory.errorString());
        }
    }
    return true;
}

// Deletes the least recently used entry files (oldest modification time first; the file
// \a keep never) until the bounds hold.
void MusubiDiskCachePersister::enforceBounds(const QString &keep)
{
    struct Candidate
    {
        QString path;
        qint64 size;
        qint64 modified;
    };
    const QString keepName = QFileInfo(keep).fileName();
    const QFileInfoList files = entryFiles(m_directory);
    qsizetype count = files.size();
    qint64 total = 0;
    std::vector<Candidate> candidates;
    candidates.reserve(size_t(files.size()));
    for (const QFileInfo &info : files) {
        total += info.size();
        if (info.fileName() != keepName) {
            candidates.push_back(
                    {info.absoluteFilePath(), info.size(),
                     info.fileTime(QFileDevice::FileModificationTime).toMSecsSinceEpoch()});
        }
    }
    const auto withinBounds = [&] {
        return count <= m_maxEntries && total <= m_maxSize;
    };
    if (withinBounds())
        return;
    std::sort(candidates.begin(), candidates.end(), [](const Candidate &a, const Candidate &b) {
        return a.modified != b.modified ? a.modified < b.modified : a.path < b.path;
    });
    for (const Candidate &candidate : candidates) {
        if (withinBounds())
            break;
        QFile file(candidate.path);
        if (file.remove()) {
            --count;
            total -= candidate.size;
        } else {
            qCWarning(lcMusubiCache).noquote()
                    << u"cannot evict cache entry %1: %2"_s.arg(candidate.path, file.errorString());
        }
    }
}

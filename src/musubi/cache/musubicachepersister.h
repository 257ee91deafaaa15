// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QByteArray>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QStringList>

class MUSUBI_CORE_EXPORT MusubiCachePersister : public QObject
{
    Q_OBJECT
public:
    explicit MusubiCachePersister(QObject *parent = nullptr);
    ~MusubiCachePersister() override;

    // An empty QByteArray: no entry. The future may finish later (a slow store).
    // The bytes are opaque to a persister: the cache validates what it reads.
    virtual QFuture<QByteArray> load(const QString &key) = 0;
    virtual bool save(const QString &key, const QByteArray &entry) = 0;
    virtual void remove(const QString &key) = 0;
    virtual void clear() = 0;
};

class MUSUBI_CORE_EXPORT MusubiMemoryCachePersister : public MusubiCachePersister
{
    Q_OBJECT
public:
    explicit MusubiMemoryCachePersister(QObject *parent = nullptr);
    ~MusubiMemoryCachePersister() override;

    QFuture<QByteArray> load(const QString &key) override;
    bool save(const QString &key, const QByteArray &entry) override;
    void remove(const QString &key) override;
    void clear() override;

    QStringList keys() const;

private:
    QHash<QString, QByteArray> m_entries;
};

class MUSUBI_CORE_EXPORT MusubiDiskCachePersister : public MusubiCachePersister
{
    Q_OBJECT
public:
    static constexpr int DefaultMaxEntries = 256;
    static constexpr qint64 DefaultMaxSize = 64 * 1024 * 1024;
    static constexpr qint64 DefaultMaxEntrySize = 16 * 1024 * 1024;

    // An empty directory means defaultDirectory().
    explicit MusubiDiskCachePersister(const QString &directory, QObject *parent = nullptr);
    ~MusubiDiskCachePersister() override;

    static QString defaultDirectory();

    QString directory() const;

    int maxEntries() const;
    void setMaxEntries(int count);
    qint64 maxSize() const;
    void setMaxSize(qint64 bytes);
    qint64 maxEntrySize() const;
    void setMaxEntrySize(qint64 bytes);

    // The file that holds (or would hold) the entry of \a key.
    QString filePath(const QString &key) const;
    // The entries on disk now (the *.mcache files of directory()), and their total size in bytes.
    int entryCount() const;
    qint64 size() const;

    QFuture<QByteArray> load(const QString &key) override;
    bool save(const QString &key, const QByteArray &entry) override;
    void remove(const QString &key) override;
    void clear() override;

private:
    bool ensureDirectory();
    bool directoryTrusted() const;
    void enforceBounds(const QString &keep);

    QString m_directory;
    int m_maxEntries = DefaultMaxEntries;
    qint64 m_maxSize = DefaultMaxSize;
    qint64 m_maxEntrySize = DefaultMaxEntrySize;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariantMap>

#include <memory>

class MusubiCachePersister;

namespace Musubi::detail {
class CachePrivate;
} // namespace Musubi::detail

class MUSUBI_CORE_EXPORT MusubiCache : public QObject
{
    Q_OBJECT
    Q_PROPERTY(bool enabled READ isEnabled WRITE setEnabled NOTIFY enabledChanged)
    Q_PROPERTY(Storage storage READ storage WRITE setStorage NOTIFY storageChanged)
    Q_PROPERTY(QString directory READ directory WRITE setDirectory RESET resetDirectory NOTIFY
                       directoryChanged)
    Q_PROPERTY(int gcTime READ gcTime WRITE setGcTime NOTIFY gcTimeChanged)
    Q_PROPERTY(QString buster READ buster WRITE setBuster NOTIFY busterChanged)
    Q_PROPERTY(
            int writeThrottle READ writeThrottle WRITE setWriteThrottle NOTIFY writeThrottleChanged)

public:
    enum class Storage {
        Memory,
        Disk,
        Custom,
    };
    Q_ENUM(Storage)

    static constexpr int DefaultGcTime = 300000;
    static constexpr int DefaultWriteThrottle = 1000;

    explicit MusubiCache(QObject *parent = nullptr);
    ~MusubiCache() override;

    bool isEnabled() const;
    void setEnabled(bool enabled);

    Storage storage() const;
    void setStorage(Storage storage);

    QString directory() const;
    void setDirectory(const QString &directory);
    void resetDirectory();

    int gcTime() const;
    void setGcTime(int ms);

    QString buster() const;
    void setBuster(const QString &buster);

    int writeThrottle() const;
    void setWriteThrottle(int ms);

    // The persister in use (made on first use for Memory and Disk).
    MusubiCachePersister *persister();
    // Takes ownership; storage() becomes Custom (nullptr: back to Memory).
    void setPersister(MusubiCachePersister *persister);

    // The key of a mount: "<id>|<module>|<canonical params>".
    static QString key(const QString &module, const QString &instanceId, const QVariantMap &params);

public Q_SLOTS:
    // Drops every entry (the live state of mounted roots stays).
    void clear();
    // Writes every pending entry now.
    void flush();

Q_SIGNALS:
    void enabledChanged();
    void storageChanged();
    void directoryChanged();
    void gcTimeChanged();
    void busterChanged();
    void writeThrottleChanged();
    // A write or remove of the persister failed (disk full, read-only directory, ...).
    void errorOccurred(const QString &message);

private:
    friend class Musubi::detail::CachePrivate;
    std::unique_ptr<Musubi::detail::CachePrivate> d;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QHash>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QTemporaryDir>
#include <QtCore/QUrl>
#include <QtCore/QVariantMap>
#include <QtQml/qqml.h>

#include "musubiroot.h"

class MusubiTestServer;
class MusubiTestStore;

/*!
    \qmltype Fixture
    \inqmlmodule MusubiTestFixture
    \brief The server side of the QML tests: a MusubiTestServer on loopback
    with the test stores, driven from TestCase functions.

    One server per QML engine (QtQuickTest gives each test file its own).

    Root module \c Test.Counter, state (persisted per root id across mounts,
    like a database, so a remount after a reconnect shows the same data):
    \list
    \li \c count (int, mount param \c count or 0), \c label, \c note, \c lastToast;
    \li \c cart: child store \c ["cart"] with \c total, rendered only while \c showCart;
    \li \c messages: a stream; \c profile: an async value.
    \endlist
    \c refuseMounts makes the server refuse \c Test.Counter mounts (reason
    \c unavailable); \c unusedUrl() is a URL where no server listens and
    \c temporaryDirectory a scratch directory (for disk caches).
    \c sendGappedEnvelope() makes the client refuse an envelope.
    Commands: \c increment {amount} → \c{{count}}, \c setLabel {label},
    \c echo {v} → \c{{v}}, \c fail → error \c nope, \c toast {msg} (sets
    \c lastToast, then pushes event \c toast), \c showCart {show}; child
    \c cartAdd {price} (also pushes event \c added on the child).
*/
class MusubiQmlTestFixture : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QUrl url READ url CONSTANT)
    Q_PROPERTY(bool refuseConnections READ refuseConnections WRITE setRefuseConnections NOTIFY
                       refuseConnectionsChanged)
    //! Non-empty: sockets without this \c token connect param get HTTP 401.
    Q_PROPERTY(QString requiredToken READ requiredToken WRITE setRequiredToken NOTIFY
                       requiredTokenChanged)
    Q_PROPERTY(int mountCount READ mountCount NOTIFY mountCountChanged)
    Q_PROPERTY(int unmountCount READ unmountCount NOTIFY unmountCountChanged)
    //! True: mounts of \c Test.Counter are refused with reason \c unavailable.
    Q_PROPERTY(bool refuseMounts READ refuseMounts WRITE setRefuseMounts NOTIFY refuseMountsChanged)
    //! An empty directory that lives as long as the fixture (e.g. for a disk cache).
    Q_PROPERTY(QString temporaryDirectory READ temporaryDirectory CONSTANT)
    QML_NAMED_ELEMENT(Fixture)
    QML_SINGLETON

public:
    explicit MusubiQmlTestFixture(QObject *parent = nullptr);
    ~MusubiQmlTestFixture() override;

    QUrl url() const;
    bool refuseConnections() const { return m_refuse; }
    void setRefuseConnections(bool refuse);
    QString requiredToken() const;
    void setRequiredToken(const QString &token);
    int mountCount() const { return m_mountCount; }
    int unmountCount() const { return m_unmountCount; }
    bool refuseMounts() const { return m_refuseMounts; }
    void setRefuseMounts(bool refuse);
    QString temporaryDirectory() const { return m_temporaryDirectory.path(); }

    //! A socket URL on 127.0.0.1 where nothing listens: a server that is not up (yet).
    Q_INVOKABLE QUrl unusedUrl() const;

    //! True while a root with \a rootId ("Test.Counter:<id>") is mounted on the server.
    Q_INVOKABLE bool isMounted(const QString &rootId) const;
    //! The mount params the server got for \a rootId's current mount.
    Q_INVOKABLE QJsonObject mountParams(const QString &rootId) const;
    //! Sets a state field of the root (\a child empty) or of its child store \a child.
    Q_INVOKABLE void setValue(const QString &rootId, const QStringList &child, const QString &key,
                              const QJsonValue &value);
    Q_INVOKABLE void streamInsert(const QString &rootId, const QString &stream, const QString &key,
                                  const QJsonValue &item, int at = -1);
    Q_INVOKABLE void streamDelete(const QString &rootId, const QString &stream, const QString &key);
    //! Sets async field \a key: \a status "loading", "ok" or "failed".
    Q_INVOKABLE void setAsync(const QString &rootId, const QString &key, const QString &status,
                              const QJsonValue &value);
    Q_INVOKABLE void pushEvent(const QString &rootId, const QString &name,
                               const QJsonValue &payload);
    //! Sends the root an envelope with a version gap, which the client refuses.
    Q_INVOKABLE bool sendGappedEnvelope(const QString &rootId);
    //! Drops every client socket (no close frame).
    Q_INVOKABLE void dropConnections();
    //! The next command gets no reply at all.
    Q_INVOKABLE void withholdNextCommandReply();
    //! Forgets the persisted state of every root.
    Q_INVOKABLE void resetDatabase();

Q_SIGNALS:
    void refuseConnectionsChanged();
    void refuseMountsChanged();
    void requiredTokenChanged();
    void mountCountChanged();
    void unmountCountChanged();
    void rootMounted(const QString &rootId, const QJsonObject &params);
    void rootUnmounted(const QString &rootId);

private:
    MusubiTestStore *createCounter(const QString &rootId, const QJsonObject &params);
    MusubiTestStore *createList();
    MusubiTestStore *find(const QString &rootId, const QStringList &child) const;

    MusubiTestServer *m_server = nullptr;
    QHash<QString, QJsonObject> m_database;
    QTemporaryDir m_temporaryDirectory;
    bool m_refuse = false;
    bool m_refuseMounts = false;
    int m_mountCount = 0;
    int m_unmountCount = 0;
};

/*!
    \qmltype TestCounterRoot
    \inqmlmodule MusubiTestFixture
    \brief A C++ subclass of MusubiRoot for \c Test.Counter roots, as an
    application would write one: a typed \c count and a count of push events
    seen by the receiveEvent() hook.

    It proves that a C++ subclass is a QML MusubiRoot (MusubiStatusBanner.root
    takes it) and manages itself when created by QML.
*/
class MusubiQmlTestCounterRoot : public MusubiRoot
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int eventCount READ eventCount NOTIFY eventCountChanged)
    QML_NAMED_ELEMENT(TestCounterRoot)

public:
    explicit MusubiQmlTestCounterRoot(QObject *parent = nullptr);

    //! The root store's \c count, 0 while there is no state.
    int count() const;
    //! How many push events the receiveEvent() hook saw.
    int eventCount() const { return m_eventCount; }

Q_SIGNALS:
    void countChanged();
    void eventCountChanged();

protected:
    void storesChangeEvent(const QList<QJsonArray> &storeIds) override;
    void receiveEvent(const QJsonArray &storeId, const QString &name,
                      const QJsonValue &payload) override;

private:
    int m_eventCount = 0;
};

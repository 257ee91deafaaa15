// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QLoggingCategory>
#include <QtCore/QObject>
#include <QtCore/QString>
#include <QtCore/QVariantMap>
#include <QtQml/QQmlParserStatus>

#include <memory>
#include <utility>

class MusubiConnection;
class MusubiStore;
class MusubiStoreTree;
class PhoenixPush;

namespace Musubi::detail {
class RootPrivate;
} // namespace Musubi::detail

/*!
    \class MusubiRoot
    \brief One mounted root store of a Musubi server: its state, its stores,
    its commands and its push events.

    A root is identified by (module(), instanceId()) on a connection(). Its
    wire id is rootId() = \c{"<module>:<instanceId>"}. Roots of the same
    identity on one connection share one mount (and one MusubiStoreTree):
    each MusubiRoot is one holder, and the last holder's unmount() (or
    destruction) unmounts on the wire.

    mount() is explicit for a root created in C++. A root created by QML
    (the \c MusubiRoot QML type, or a C++ subclass registered for QML)
    manages itself: it mounts once the component is complete, isActive() is
    true and a connection, a module and an instance id are set (and the
    connection, when it was created by QML too, is active and has a URL).
    It unmounts when \c active becomes false or the object is destroyed, and
    changing connection, module, instanceId or params while mounted remounts
    it (one remount per event-loop turn, however many of them changed). The
    mount is done when the server's initial patch (version 0→1) has been
    accepted, not on the join/mount reply: status() then becomes \c Live
    and isReady() true.

    Data: store() is the root MusubiStore (a QQmlPropertyMap), store(storeId)
    any child store, snapshot() the raw wire tree, storeTree() the whole
    data plane (streams, uploads, resolved view). storesChanged() fires once
    per accepted envelope with every store that appeared or changed in it,
    after every store's own \c changed(); the first envelope lists the root
    store \c [] and every child store it brings.

    Commands: dispatch() returns a QFuture that finishes with the reply or
    fails with a MusubiCommandError. The reply says nothing about whether the
    command's patch has been applied yet (the server replies first); read
    state from the stores.

    Push events: eventReceived() fires per event, after the envelope's state
    is applied and its change signals emitted; handleEvent() registers a
    handler for one (storeId, name).

    Subclassing: override the protected hooks statusChangeEvent(),
    storesChangeEvent() and receiveEvent() to expose typed accessors:
    \code
    class CounterRoot : public MusubiRoot {
        Q_OBJECT
        Q_PROPERTY(int count READ count NOTIFY countChanged)
    public:
        using MusubiRoot::MusubiRoot;
        int count() const { return store() ? store()->value(u"count"_s).toInt() : 0; }
    Q_SIGNALS:
        void countChanged();
    protected:
        // The first envelope lists [] too: the initial count arrives here.
        void storesChangeEvent(const QList<QJsonArray> &ids) override {
            if (ids.contains(QJsonArray())) Q_EMIT countChanged();
        }
    };
    \endcode

    Status (docs/protocol.md §12) annotates stale data; it never blanks it: while
    \c Reconnecting the last good state stays readable.

    \sa MusubiConnection, MusubiStore, MusubiCommandError
*/
class MUSUBI_CORE_EXPORT MusubiRoot : public QObject, public QQmlParserStatus
{
    Q_OBJECT
    Q_INTERFACES(QQmlParserStatus)
    Q_MOC_INCLUDE("musubiconnection.h")
    Q_MOC_INCLUDE("musubistore.h")
    Q_PROPERTY(MusubiConnection *connection READ connection WRITE setConnection NOTIFY
                       connectionChanged)
    Q_PROPERTY(QString module READ module WRITE setModule NOTIFY moduleChanged)
    Q_PROPERTY(QString instanceId READ instanceId WRITE setInstanceId NOTIFY instanceIdChanged)
    Q_PROPERTY(QString rootId READ rootId NOTIFY rootIdChanged)
    Q_PROPERTY(QVariantMap params READ params WRITE setParams NOTIFY paramsChanged)
    Q_PROPERTY(Status status READ status NOTIFY statusChanged)
    Q_PROPERTY(QString errorString READ errorString NOTIFY errorStringChanged)
    Q_PROPERTY(QJsonValue errorReply READ errorReply NOTIFY errorReplyChanged)
    Q_PROPERTY(int version READ version NOTIFY versionChanged)
    Q_PROPERTY(bool mounted READ isMounted NOTIFY mountedChanged)
    Q_PROPERTY(bool ready READ isReady NOTIFY readyChanged)
    Q_PROPERTY(bool active READ isActive WRITE setActive NOTIFY activeChanged)
    Q_PROPERTY(MusubiStore *store READ store NOTIFY storeChanged)

public:
    //! Per-root mount status (docs/protocol.md §12, Rust \c MountStatus).
    enum class Status {
        Unmounted, //!< Not mounted by this object (initial, and after unmount()).
        Connecting, //!< Mount requested, initial patch not accepted yet.
        Live, //!< An initial patch was accepted and envelopes apply in order.
        Reconnecting, //!< Drop or version-gap recovery; last good state is still shown.
        Failed, //!< The mount was refused or could not complete; see errorString().
    };
    Q_ENUM(Status)

    explicit MusubiRoot(QObject *parent = nullptr);
    MusubiRoot(MusubiConnection *connection, const QString &module, const QString &instanceId,
               const QVariantMap &params = {}, QObject *parent = nullptr);
    //! Releases this object's hold on the mount.
    ~MusubiRoot() override;

    /*! The connection the root mounts on. Changing identity (connection,
        module, instanceId, params) while mounted takes effect on the next mount(). */
    MusubiConnection *connection() const;
    void setConnection(MusubiConnection *connection);

    //! Elixir module name of the root store, without \c Elixir. (e.g. \c Shop.CartStore).
    QString module() const;
    void setModule(const QString &module);

    //! Caller-chosen instance id (the wire \c id of the mount).
    QString instanceId() const;
    void setInstanceId(const QString &instanceId);

    /*! The wire root id: \c{"<module>:<instanceId>"}, or, on a Profile S server
        that names roots itself, the \c root_id of its mount reply. */
    QString rootId() const;

    //! Mount params; only the first mount of an identity sends them.
    QVariantMap params() const;
    void setParams(const QVariantMap &params);

    Status status() const;
    //! Why the mount failed (status \c Failed), or the last error; empty otherwise.
    QString errorString() const;
    /*! The server's error response behind a failed mount (e.g. \c{{"reason":"unknown root"}}),
        or an undefined QJsonValue (timeouts, local failures, no failure). */
    QJsonValue errorReply() const;
    //! Last accepted envelope version; 0 while not live (connecting, reconnecting, recovering).
    int version() const;
    //! True between mount() and unmount() (whatever the status).
    bool isMounted() const;
    /*! True once state is shown: the root store exists (the initial patch was
        accepted). It stays true while the root is \c Reconnecting or
        recovering (the last good state stays readable) and becomes false
        again after unmount(). A view shows its content when this is true.
        \sa store(), readyChanged() */
    bool isReady() const;

    /*! Whether a root created by QML should be mounted; \c true by default.
        Only roots created by QML follow it (they mount and unmount
        themselves); a root created in C++ is mounted with mount(). */
    bool isActive() const;
    void setActive(bool active);

    //! The root store (\c store_id \c []), or nullptr before the first accepted envelope.
    MusubiStore *store() const;
    //! The store at \a storeId, or nullptr when the tree has no such store.
    MusubiStore *store(const QJsonArray &storeId) const;
    //! QML-friendly form of store(storeId).
    Q_INVOKABLE MusubiStore *storeById(const QJsonArray &storeId) const;
    //! The raw wire tree (markers intact); empty when nothing has been applied.
    Q_INVOKABLE QJsonObject snapshot() const;
    //! The data plane of the mount (shared with other holders), or nullptr when not mounted.
    MusubiStoreTree *storeTree() const;

    /*! Sends command \a name to the store at \a storeId. Fails at once with
        \c NotConnected while the root has no channel or is not live
        (version 0). Never retried. */
    QFuture<QJsonValue> dispatch(const QJsonArray &storeId, const QString &name,
                                 const QJsonObject &payload = {});

    /*! Calls \a handler(const QJsonValue &payload) for every push event
        \a name of the store at \a storeId (\c [] is the root), in \a context's
        thread, until the returned connection is disconnected
        (QObject::disconnect()) or \a context or this root is destroyed. */
    template<typename Handler>
    QMetaObject::Connection handleEvent(const QJsonArray &storeId, const QString &name,
                                        const QObject *context, Handler handler)
    {
        return connect(this, &MusubiRoot::eventReceived, context,
                       [storeId, name, handler = std::move(handler)](const QJsonArray &id,
                                                                     const QString &event,
                                                                     const QJsonValue &payload) {
                           if (id == storeId && event == name)
                               handler(payload);
                       });
    }

    /*! Low-level: pushes \a event with \a payload on this root's channel (Profile
        R) or on the shared channel with \c root_id added (Profile S), as the
        upload handles do for \c allow_upload and friends. Returns nullptr when
        the root has no joined channel; the push is owned by its channel. */
    PhoenixPush *pushRootEvent(const QString &event, const QJsonObject &payload,
                               int timeoutMs = -1);

    /*! \internal QQmlParserStatus: marks the root as created by QML. */
    void classBegin() override;
    /*! \internal QQmlParserStatus: a root created by QML mounts now if it should. */
    void componentComplete() override;

public Q_SLOTS:
    /*! Takes a hold on the (connection, module, instanceId) mount, mounting it
        on the wire if this is the first holder; opens the connection if it is
        closed. Does nothing when already mounted. */
    void mount();
    /*! Releases the hold; pending commands of a last holder fail with
        \c Unmounted and the mount is left on the wire. Status becomes
        \c Unmounted and store() nullptr. */
    void unmount();

Q_SIGNALS:
    void connectionChanged();
    void moduleChanged();
    void instanceIdChanged();
    void rootIdChanged();
    void paramsChanged();
    void statusChanged(MusubiRoot::Status status, MusubiRoot::Status oldStatus);
    void errorStringChanged();
    //! errorReply() changed.
    void errorReplyChanged();
    void versionChanged(int version);
    void mountedChanged();
    //! isReady() changed.
    void readyChanged();
    //! isActive() changed.
    void activeChanged();
    //! store() changed identity (first envelope, unmount).
    void storeChanged();
    /*! Once per accepted envelope, after every store's \c changed() and after
        version() was updated, with the ids (parents first) of every store that
        exists after the envelope and
        \list
        \li appeared with it (the initial envelope of a mount lists the root
            store \c [] and every child store it brings), or
        \li whose node differs by value from before it (a value changed and
            changed back within the envelope, or an identical \c{replace ""} of
            a rejoin, lists nothing), or
        \li is named by one of its stream or upload ops (that store only, not
            its parents).
        \endlist
        Stores that vanished are not listed: storesRemoved() of storeTree()
        announces them (storesAdded() is the finer signal for new ones). A
        version-gap recovery or a rejoin keeps the last good state, so its
        initial patch lists whatever differs from that state by the same rule.
        The list may be empty (an event-only envelope).

        How it relates to MusubiStore::changed(): \c changed() fires on
        existing store objects only, never on the one a store is created with,
        so this list is every store whose \c changed() fired plus every store
        that appeared. Refreshing a view from this signal alone shows the
        initial state, every change, and new child stores.

        A holder that mount()s a root another holder already shows gets this
        signal once from mount(), listing every store of the current state. */
    void storesChanged(const QList<QJsonArray> &storeIds);
    /*! A push event of the store at \a storeId, after the state of its
        envelope is applied and storesChanged() emitted. */
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);
    //! A mount failure, recovery or protocol problem, in words.
    void errorOccurred(const QString &message);

protected:
    //! Called right before statusChanged() is emitted. Default does nothing.
    virtual void statusChangeEvent(Status status, Status oldStatus);
    //! Called right before storesChanged() is emitted. Default does nothing.
    virtual void storesChangeEvent(const QList<QJsonArray> &storeIds);
    /*! Called with the push event \a name of the store at \a storeId and its
        \a payload right before eventReceived() is emitted. Default does nothing. */
    virtual void receiveEvent(const QJsonArray &storeId, const QString &name,
                              const QJsonValue &payload);

private:
    friend class Musubi::detail::RootPrivate;
    std::unique_ptr<Musubi::detail::RootPrivate> d;
};

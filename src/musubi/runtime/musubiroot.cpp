// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubilogging_p.h"
#include "musubiroot.h"
#include "musubiconnection.h"
#include "musubicommanderror_p.h"
#include "musubiconnection_p.h"
#include "musubirootmount_p.h"
#include "musubistore.h"
#include "musubistoretree.h"

Q_LOGGING_CATEGORY(lcMusubiRoot, "musubi.root")
Q_LOGGING_CATEGORY(lcMusubiCommand, "musubi.command")

using namespace Qt::StringLiterals;
using Musubi::detail::RootMount;

/*!
    Constructs an unmounted root with \a parent. Set connection(), module()
    and instanceId(), then call mount().
*/
MusubiRoot::MusubiRoot(QObject *parent)
    : QObject(parent)
{ }

/*!
    Constructs an unmounted root for (\a module, \a instanceId) with mount
    \a params on \a connection.
*/
MusubiRoot::MusubiRoot(MusubiConnection *connection, const QString &module,
                       const QString &instanceId, const QVariantMap &params, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
    , m_module(module)
    , m_instanceId(instanceId)
    , m_params(params)
{ }

MusubiRoot::~MusubiRoot()
{
    // No signals from a destructor: a subclass is already gone.
    for (const auto &connection : std::as_const(m_mountConnections))
        disconnect(connection);
    if (m_mount && m_connection)
        m_connection->d->release(this, m_mount);
}

MusubiConnection *MusubiRoot::connection() const
{
    return m_connection;
}

void MusubiRoot::setConnection(MusubiConnection *connection)
{
    if (m_connection == connection)
        return;
    m_connection = connection;
    Q_EMIT connectionChanged();
}

QString MusubiRoot::module() const
{
    return m_module;
}

void MusubiRoot::setModule(const QString &module)
{
    if (m_module == module)
        return;
    m_module = module;
    Q_EMIT moduleChanged();
    if (!m_mount)
        Q_EMIT rootIdChanged();
}

QString MusubiRoot::instanceId() const
{
    return m_instanceId;
}

void MusubiRoot::setInstanceId(const QString &instanceId)
{
    if (m_instanceId == instanceId)
        return;
    m_instanceId = instanceId;
    Q_EMIT instanceIdChanged();
    if (!m_mount)
        Q_EMIT rootIdChanged();
}

QString MusubiRoot::rootId() const
{
    if (m_mount)
        return m_mount->wireRootId();
    if (m_module.isEmpty() || m_instanceId.isEmpty())
        return QString();
    return m_module + u':' + m_instanceId;
}

QVariantMap MusubiRoot::params() const
{
    return m_params;
}

void MusubiRoot::setParams(const QVariantMap &params)
{
    if (m_params == params)
        return;
    m_params = params;
    Q_EMIT paramsChanged();
}

MusubiRoot::Status MusubiRoot::status() const
{
    return m_status;
}

QString MusubiRoot::errorString() const
{
    return m_errorString;
}

QJsonValue MusubiRoot::errorReply() const
{
    return m_mount ? m_mount->errorReply() : QJsonValue(QJsonValue::Undefined);
}

int MusubiRoot::version() const
{
    return m_mount ? m_mount->version() : 0;
}

bool MusubiRoot::isMounted() const
{
    return m_mounted;
}

MusubiStore *MusubiRoot::store() const
{
    return m_mount ? m_mount->tree()->rootStore() : nullptr;
}

MusubiStore *MusubiRoot::store(const QJsonArray &storeId) const
{
    return m_mount ? m_mount->tree()->store(storeId) : nullptr;
}

MusubiStore *MusubiRoot::storeById(const QJsonArray &storeId) const
{
    return store(storeId);
}

QJsonObject MusubiRoot::snapshot() const
{
    return m_mount ? m_mount->tree()->tree() : QJsonObject();
}

MusubiStoreTree *MusubiRoot::storeTree() const
{
    return m_mount ? m_mount->tree() : nullptr;
}

QFuture<QJsonValue> MusubiRoot::dispatch(const QJsonArray &storeId, const QString &name,
                                         const QJsonObject &payload)
{
    if (!m_mount)
        return Musubi::detail::failedCommand(
                MusubiCommandError(MusubiCommandError::Kind::NotConnected, name, storeId));
    return m_mount->dispatch(storeId, name, payload);
}

PhoenixPush *MusubiRoot::pushRootEvent(const QString &event, const QJsonObject &payload,
                                       int timeoutMs)
{
    return m_mount ? m_mount->pushRootEvent(event, payload, timeoutMs) : nullptr;
}

void MusubiRoot::mount()
{
    if (m_mounted)
        return;
    if (!m_connection || m_module.isEmpty() || m_instanceId.isEmpty()) {
        const QString message = u"Cannot mount: connection, module and instanceId are required"_s;
        qCWarning(lcMusubiRoot).noquote() << message;
        setErrorString(message);
        setStatus(Status::Failed);
        Q_EMIT errorOccurred(message);
        return;
    }
    m_mounted = true;
    RootMount *mount = m_connection->d->acquire(this, m_module, m_instanceId,
                                                QJsonObject::fromVariantMap(m_params));
    attach(mount);
    Q_EMIT mountedChanged();
    if (m_connection && !m_connection->d->isOpen())
        m_connection->open();
}

void MusubiRoot::unmount()
{
    if (!m_mounted)
        return;
    RootMount *mount = m_mount;
    detach();
    if (mount && m_connection)
        m_connection->d->release(this, mount);
}

void MusubiRoot::attach(RootMount *mount)
{
    m_mount = mount;
    m_mountConnections = {
            connect(mount, &RootMount::statusChanged, this,
                    [this](Status status, Status) { setStatus(status); }),
            connect(mount, &RootMount::errorStringChanged, this,
                    [this, mount] { setErrorString(mount->errorString()); }),
            connect(mount, &RootMount::versionChanged, this,
                    [this](int version) {
                        m_version = version;
                        Q_EMIT versionChanged(version);
                    }),
            connect(mount, &RootMount::wireRootIdChanged, this, &MusubiRoot::rootIdChanged),
            connect(mount, &RootMount::rootStoreChanged, this, &MusubiRoot::storeChanged),
            connect(mount, &RootMount::storesChanged, this,
                    [this](const QList<QJsonArray> &storeIds) {
                        storesChangeEvent(storeIds);
                        Q_EMIT storesChanged(storeIds);
                    }),
            connect(mount, &RootMount::eventReceived, this,
                    [this](const QJsonArray &storeId, const QString &name,
                           const QJsonValue &payload) {
                        pushEvent(storeId, name, payload);
                        Q_EMIT eventReceived(storeId, name, payload);
                    }),
            connect(mount, &RootMount::errorOccurred, this, &MusubiRoot::errorOccurred),
    };
    syncFromMount();
}

void MusubiRoot::detach()
{
    for (const auto &connection : std::as_const(m_mountConnections))
        disconnect(connection);
    m_mountConnections.clear();
    const bool hadStore = store() != nullptr;
    const QString oldRootId = rootId();
    m_mount = nullptr;
    m_mounted = false;
    Q_EMIT mountedChanged();
    if (m_version != 0) {
        m_version = 0;
        Q_EMIT versionChanged(0);
    }
    if (hadStore)
        Q_EMIT storeChanged();
    if (oldRootId != rootId())
        Q_EMIT rootIdChanged();
    setStatus(Status::Unmounted);
}

void MusubiRoot::syncFromMount()
{
    if (!m_mount)
        return;
    setErrorString(m_mount->errorString());
    if (m_version != m_mount->version()) {
        m_version = m_mount->version();
        Q_EMIT versionChanged(m_version);
    }
    if (m_mount->wireRootId() != m_module + u':' + m_instanceId)
        Q_EMIT rootIdChanged();
    if (m_mount->tree()->rootStore()) {
        Q_EMIT storeChanged();
        // This holder has seen nothing yet: every store of the current state is new to it.
        const QList<QJsonArray> ids = m_mount->tree()->storeIds();
        storesChangeEvent(ids);
        if (m_mount)
            Q_EMIT storesChanged(ids);
    }
    if (m_mount)
        setStatus(m_mount->status());
}

void MusubiRoot::setStatus(Status status)
{
    if (m_status == status)
        return;
    const Status old = m_status;
    m_status = status;
    statusChangeEvent(status, old);
    Q_EMIT statusChanged(status, old);
}

void MusubiRoot::setErrorString(const QString &message)
{
    if (m_errorString == message)
        return;
    m_errorString = message;
    Q_EMIT errorStringChanged();
}

void MusubiRoot::statusChangeEvent(Status, Status) { }

void MusubiRoot::storesChangeEvent(const QList<QJsonArray> &) { }

void MusubiRoot::pushEvent(const QJsonArray &, const QString &, const QJsonValue &) { }

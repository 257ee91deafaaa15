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
    Q_PROPERTY(bool cache READ isCacheEnabled WRITE setCacheEnabled NOTIFY cacheEnabledChanged)
    Q_PROPERTY(bool fromCache READ isFromCache NOTIFY fromCacheChanged)
    Q_PROPERTY(bool fetching READ isFetching NOTIFY fetchingChanged)

public:
    enum class Status {
        Unmounted,
        Connecting,
        Live,
        Reconnecting,
        Failed,
    };
    Q_ENUM(Status)

    explicit MusubiRoot(QObject *parent = nullptr);
    MusubiRoot(MusubiConnection *connection, const QString &module, const QString &instanceId,
               const QVariantMap &params = {}, QObject *parent = nullptr);
    ~MusubiRoot() override;

    MusubiConnection *connection() const;
    void setConnection(MusubiConnection *connection);

    QString module() const;
    void setModule(const QString &module);

    QString instanceId() const;
    void setInstanceId(const QString &instanceId);

    QString rootId() const;

    QVariantMap params() const;
    void setParams(const QVariantMap &params);

    Status status() const;
    QString errorString() const;
    QJsonValue errorReply() const;
    int version() const;
    bool isMounted() const;
    bool isReady() const;

    bool isActive() const;
    void setActive(bool active);

    bool isCacheEnabled() const;
    void setCacheEnabled(bool enabled);
    bool isFromCache() const;
    bool isFetching() const;

    MusubiStore *store() const;
    MusubiStore *store(const QJsonArray &storeId) const;
    Q_INVOKABLE MusubiStore *storeById(const QJsonArray &storeId) const;
    Q_INVOKABLE QJsonObject snapshot() const;
    MusubiStoreTree *storeTree() const;

    QFuture<QJsonValue> dispatch(const QJsonArray &storeId, const QString &name,
                                 const QJsonObject &payload = {});

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

    PhoenixPush *pushRootEvent(const QString &event, const QJsonObject &payload,
                               int timeoutMs = -1);

    void classBegin() override;
    void componentComplete() override;

public Q_SLOTS:
    void mount();
    void unmount();

Q_SIGNALS:
    void connectionChanged();
    void moduleChanged();
    void instanceIdChanged();
    void rootIdChanged();
    void paramsChanged();
    void statusChanged(MusubiRoot::Status status, MusubiRoot::Status oldStatus);
    void errorStringChanged();
    void errorReplyChanged();
    void versionChanged(int version);
    void mountedChanged();
    void readyChanged();
    void activeChanged();
    void storeChanged();
    void cacheEnabledChanged();
    void fromCacheChanged();
    void fetchingChanged();
    void revalidated();
    void storesChanged(const QList<QJsonArray> &storeIds);
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);
    void errorOccurred(const QString &message);

protected:
    virtual void statusChangeEvent(Status status, Status oldStatus);
    virtual void storesChangeEvent(const QList<QJsonArray> &storeIds);
    virtual void receiveEvent(const QJsonArray &storeId, const QString &name,
                              const QJsonValue &payload);

private:
    friend class Musubi::detail::RootPrivate;
    std::unique_ptr<Musubi::detail::RootPrivate> d;
};

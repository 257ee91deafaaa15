// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubitestingglobal.h"
#include "musubitestreply.h"
#include "musubitestuploadconfig.h"
#include "musubitestuploadedentry.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QObject>
#include <QtCore/QStringList>
#include <QtCore/QVariantMap>

#include <functional>
#include <memory>

class MusubiTestServer;
class MusubiTestStorePrivate;
namespace Musubi::detail {
class TestRootSession;
}

class MUSUBI_TESTING_EXPORT MusubiTestStore : public QObject
{
    Q_OBJECT
    Q_PROPERTY(QJsonObject state READ state WRITE setState NOTIFY stateChanged)
    Q_PROPERTY(QJsonArray storeId READ storeId CONSTANT)
    Q_PROPERTY(QString rootId READ rootId CONSTANT)
    Q_PROPERTY(QString instanceId READ instanceId CONSTANT)
    Q_PROPERTY(QJsonObject mountParams READ mountParams CONSTANT)

public:
    using CommandHandler = std::function<MusubiTestReply(const QJsonObject &payload)>;
    using Renderer = std::function<QJsonObject(const MusubiTestStore *store)>;

    explicit MusubiTestStore(QObject *parent = nullptr);
    ~MusubiTestStore() override;

    // --- identity -------------------------------------------------------

    QJsonArray storeId() const;
    QStringList localId() const;
    MusubiTestStore *parentStore() const;
    MusubiTestStore *rootStore() const;
    QString rootId() const;
    QString module() const;
    QString instanceId() const;
    QJsonObject mountParams() const;
    QVariantMap connectParams() const;
    MusubiTestServer *server() const;

    // --- state ----------------------------------------------------------

    QJsonObject state() const;
    Q_INVOKABLE QJsonValue value(const QString &key) const;
    void setState(const QJsonObject &state);
    Q_INVOKABLE void setValue(const QString &key, const QJsonValue &value);
    Q_INVOKABLE void removeValue(const QString &key);
    void update(const std::function<void(QJsonObject &state)> &mutator);
    Q_INVOKABLE void invalidate();

    // --- render ---------------------------------------------------------

    virtual QJsonObject render() const;
    void setRenderer(Renderer renderer);

    // --- child stores ---------------------------------------------------

    MusubiTestStore *addChild(const QStringList &localId, MusubiTestStore *child);
    Q_INVOKABLE MusubiTestStore *childStore(const QStringList &localId) const;
    Q_INVOKABLE void removeChild(const QStringList &localId);
    QList<MusubiTestStore *> childStores() const;
    Q_INVOKABLE QJsonObject childSlot(const QStringList &localId) const;

    // --- streams (docs/protocol.md §6) ---------------------------------------

    Q_INVOKABLE QJsonObject streamSlot(const QString &stream) const;
    Q_INVOKABLE void streamInsert(const QString &stream, const QString &itemKey,
                                  const QJsonValue &item, int at = -1,
                                  const QJsonValue &limit = QJsonValue::Null);
    Q_INVOKABLE void streamDelete(const QString &stream, const QString &itemKey);
    Q_INVOKABLE void streamReset(const QString &stream);

    // --- async values (docs/protocol.md §7) ----------------------------------

    Q_INVOKABLE QJsonObject asyncLoading(const QJsonValue &previous = QJsonValue::Null) const;
    Q_INVOKABLE QJsonObject asyncOk(const QJsonValue &result) const;
    Q_INVOKABLE QJsonObject asyncFailed(const QJsonValue &reason,
                                        const QJsonValue &previous = QJsonValue::Null) const;

    // --- push events (docs/protocol.md §9) -----------------------------------

    Q_INVOKABLE void pushEvent(const QString &name, const QJsonValue &payload = QJsonObject());

    // --- pubsub (between mounts, like Phoenix.PubSub) -------------------------

    using InfoHandler = std::function<void(const QJsonValue &message)>;

    Q_INVOKABLE void subscribe(const QString &topic);
    Q_INVOKABLE void unsubscribe(const QString &topic);
    Q_INVOKABLE bool isSubscribed(const QString &topic) const;
    QStringList subscriptions() const;
    Q_INVOKABLE int broadcast(const QString &topic, const QJsonValue &message);
    Q_INVOKABLE int broadcastFrom(const QString &topic, const QJsonValue &message);
    void onInfo(const QString &topic, InfoHandler handler);
    virtual void handleInfo(const QString &topic, const QJsonValue &message);

    // --- commands (docs/protocol.md §10) -------------------------------------

    void onCommand(const QString &name, CommandHandler handler);
    bool hasCommand(const QString &name) const;
    virtual MusubiTestReply handleCommand(const QString &name, const QJsonObject &payload);

    // --- uploads (docs/protocol.md §8) ---------------------------------------

    void declareUpload(const QString &name, const MusubiTestUploadConfig &config = {});
    QStringList uploadNames() const;
    MusubiTestUploadConfig uploadConfig(const QString &name) const;
    bool hasUpload(const QString &name) const;
    void queueUploadOp(const QJsonObject &op);
    QList<MusubiTestUploadedEntry> consumeUploadedEntries(const QString &name);

    // --- lifecycle ------------------------------------------------------

    virtual void mount(const QJsonObject &params);

Q_SIGNALS:
    void stateChanged();
    void commandReceived(const QString &name, const QJsonObject &payload);
    void infoReceived(const QString &topic, const QJsonValue &message);

private:
    friend class Musubi::detail::TestRootSession;
    friend class MusubiTestServer;
    friend class MusubiTestStorePrivate;
    void scheduleRender();
    std::unique_ptr<MusubiTestStorePrivate> d;
};

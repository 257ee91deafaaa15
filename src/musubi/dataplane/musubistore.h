// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QStringList>
#include <QtQml/QJSValue>
#include <QtQml/QQmlPropertyMap>

#include <memory>

class MusubiStoreTree;

namespace Musubi::detail {
class StorePrivate;
class StoreTreePrivate;
} // namespace Musubi::detail

class MUSUBI_CORE_EXPORT MusubiStore : public QQmlPropertyMap
{
    Q_OBJECT
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(int revision READ revision NOTIFY changed)
    Q_PROPERTY(bool alive READ isAlive NOTIFY aliveChanged)
public:
    ~MusubiStore() override;

    QJsonArray storeIdJson() const;
    QStringList storeIdList() const;
    MusubiStoreTree *tree() const;
    bool isAlive() const;
    int revision() const;

    QJsonObject node() const;
    QJsonValue resolvedState() const;

    QFuture<QJsonValue> dispatch(const QString &name, const QJsonObject &payload = {});

    Q_INVOKABLE QJSValue dispatch(const QJSValue &name, const QJSValue &payload = QJSValue(),
                                  const QJSValue &onReply = QJSValue(),
                                  const QJSValue &onError = QJSValue());

    void deliverEvent(const QString &name, const QJsonValue &payload);

Q_SIGNALS:
    void changed();
    void keysChanged();
    void aliveChanged();
    void eventReceived(const QJsonArray &storeId, const QString &name, const QJsonValue &payload);

protected:
    QVariant updateValue(const QString &key, const QVariant &input) override;

private:
    MusubiStore(MusubiStoreTree *tree, const QStringList &storeId);
    friend class Musubi::detail::StoreTreePrivate;
    friend class MusubiStoreTree;

    friend class Musubi::detail::StorePrivate;
    std::unique_ptr<Musubi::detail::StorePrivate> d;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"
#include "musubistore.h"

#include <QtCore/QFuture>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QString>

#include <functional>
#include <memory>
#include <optional>

class MusubiStore;
class MusubiStreamModel;
class MusubiUpload;

namespace Musubi::detail {
class StoreTreePrivate;
}

struct MUSUBI_CORE_EXPORT MusubiPatchError
{
    QString section;
    int opIndex = -1;
    QString path;
    QString message;

    QString toString() const;
};

class MUSUBI_CORE_EXPORT MusubiStoreTree : public QObject
{
    Q_OBJECT
    Q_PROPERTY(MusubiStore *rootStore READ rootStore NOTIFY rootStoreChanged)
public:
    using CommandDispatcher = std::function<QFuture<QJsonValue>(
            const QJsonArray &storeId, const QString &name, const QJsonObject &payload)>;

    enum class PlainValues {
        VariantContainers,
        JsonContainers,
    };
    Q_ENUM(PlainValues)

    explicit MusubiStoreTree(QObject *parent = nullptr);
    ~MusubiStoreTree() override;

    std::optional<MusubiPatchError> apply(const QJsonObject &envelope);

    QJsonObject tree() const;
    bool hasTree() const;

    MusubiStore *rootStore() const;
    MusubiStore *store(const QJsonArray &storeId) const;
    MusubiStore *existingStore(const QJsonArray &storeId) const;
    bool contains(const QJsonArray &storeId) const;
    QList<QJsonArray> storeIds() const;

    MusubiStreamModel *stream(const QJsonArray &storeId, const QString &name) const;
    QList<MusubiStreamModel *> streams() const;

    MusubiUpload *upload(const QJsonArray &storeId, const QString &name) const;
    QList<MusubiUpload *> uploads() const;

    QJsonValue resolvedState() const;
    QJsonValue resolvedState(const QJsonArray &storeId) const;

    quint64 revision() const;

    void clear();

    void setPlainValues(PlainValues values);
    PlainValues plainValues() const;

    void setCommandDispatcher(CommandDispatcher dispatcher);
    QFuture<QJsonValue> dispatch(const QJsonArray &storeId, const QString &name,
                                 const QJsonObject &payload = {});

Q_SIGNALS:
    void storesChanged(const QList<QJsonArray> &storeIds);
    void storesAdded(const QList<QJsonArray> &storeIds);
    void storesRemoved(const QList<QJsonArray> &storeIds);
    void rootStoreChanged();

private:
    friend class Musubi::detail::StoreTreePrivate;
    friend class MusubiStore;
    friend class MusubiStoreListModel;
    std::unique_ptr<Musubi::detail::StoreTreePrivate> d;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"

#include <QtCore/QJsonArray>
#include <QtCore/QObject>
#include <QtCore/QVariantList>

#include <memory>

class MusubiRoot;
class MusubiStore;

namespace Musubi::detail {
class StoreRefPrivate;
} // namespace Musubi::detail

class MUSUBI_CORE_EXPORT MusubiStoreRef : public QObject
{
    Q_OBJECT
    Q_MOC_INCLUDE("musubiroot.h")
    Q_MOC_INCLUDE("musubistore.h")
    Q_PROPERTY(MusubiRoot *root READ root WRITE setRoot NOTIFY rootChanged)
    // QML tooling does not know QJsonArray as a property type: QML sees a list.
    Q_PROPERTY(QVariantList storeId READ storeIdList WRITE setStoreIdList NOTIFY storeIdChanged)
    Q_PROPERTY(MusubiStore *store READ store NOTIFY storeChanged)
    Q_PROPERTY(bool exists READ exists NOTIFY existsChanged)

public:
    explicit MusubiStoreRef(QObject *parent = nullptr);
    MusubiStoreRef(MusubiRoot *root, const QJsonArray &storeId, QObject *parent = nullptr);
    ~MusubiStoreRef() override;

    MusubiRoot *root() const;
    void setRoot(MusubiRoot *root);

    QJsonArray storeId() const;
    void setStoreId(const QJsonArray &storeId);
    QVariantList storeIdList() const;
    void setStoreIdList(const QVariantList &storeId);

    MusubiStore *store() const;
    bool exists() const;

Q_SIGNALS:
    void rootChanged();
    void storeIdChanged();
    void storeChanged();
    void existsChanged();

private:
    friend class Musubi::detail::StoreRefPrivate;
    std::unique_ptr<Musubi::detail::StoreRefPrivate> d;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include "musubiglobal.h"
#include "musubistore.h"

#include <QtCore/QBitArray>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QIdentityProxyModel>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonValue>
#include <QtCore/QList>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtQml/QJSValue>

#include <functional>

class MusubiStoreListModel;
class MusubiStreamModel;
class MusubiUpload;

class MUSUBI_CORE_EXPORT MusubiTypedStore : public QObject
{
    Q_OBJECT
    Q_MOC_INCLUDE("musubistore.h")
    Q_PROPERTY(MusubiStore *store READ store CONSTANT)
    Q_PROPERTY(QJsonArray storeId READ storeIdJson CONSTANT)
    Q_PROPERTY(bool alive READ isAlive NOTIFY aliveChanged)

public:
    ~MusubiTypedStore() override;

    MusubiStore *store() const;
    QJsonArray storeIdJson() const;
    bool isAlive() const;

    // The view of class T of \a store: made on the first call, a child of the store
    // (it lives as long as the store object), the same object on every later call.
    template<typename T>
    static T *of(MusubiStore *store)
    {
        if (!store)
            return nullptr;
        if (MusubiTypedStore *existing = find(store, &T::staticMetaObject))
            return static_cast<T *>(existing);
        return new T(store);
    }

Q_SIGNALS:
    void aliveChanged();
    // Once per accepted envelope that changed a field of this view, after the
    // fields' own NOTIFY signals.
    void changed();

protected:
    // \a wireNames: the wire names of the fields, in declaration order (the generated
    // class's NOTIFY signals are numbered the same way).
    MusubiTypedStore(MusubiStore *store, QStringList wireNames);

    // The field \a index as the wire holds it, with child stores as their
    // {"__musubi_store_id__": [...]} marker (their contents are theirs, not this field's).
    QJsonValue fieldJson(int index) const;
    // The object behind field \a index: a child MusubiStore, a MusubiStoreListModel, a
    // MusubiStreamModel or a MusubiUpload (nullptr when the field holds none).
    QObject *fieldObject(int index) const;
    // The child store field \a index points to (nullptr for null or a wrong value).
    MusubiStore *childStore(int index) const;
    // The object in the result of the async value in field \a index (a stream model).
    QObject *asyncResultObject(int index) const;

    // Logs, once until the field changes, that field \a index held a value that is not
    // \a expected (category musubi.codegen); the property then reads as its default.
    void warnDrift(int index, const char *expected) const;
    // The same for a push event payload or a command reply.
    void warnPayload(const QString &what, const char *expected, const QJsonValue &value) const;

    // Called once per envelope with the indexes of the fields whose value changed;
    // the generated class emits their NOTIFY signals.
    virtual void notifyFields(const QList<int> &indexes) = 0;
    // A push event for this store (name as on the wire).
    virtual void deliverEvent(const QString &name, const QJsonValue &payload);

    // Sends a command (C++ methods of the generated class).
    QFuture<QJsonValue> sendCommand(const QString &name, const QJsonObject &payload);
    // Sends a command for QML: returns a Promise that resolves with \a reply(engine, wire
    // reply) or rejects with a MusubiCommandError.
    QJSValue
    sendCommandFromQml(const QString &name, const QJsonObject &payload,
                       const std::function<QJSValue(QJSEngine *, const QJsonValue &)> &reply);
    // A Promise rejected with a MusubiCommandError of kind Failed carrying \a message
    // (an argument QML passed that the command cannot take); nothing is sent.
    QJSValue rejectFromQml(const QString &name, const QString &message);

private:
    static MusubiTypedStore *find(MusubiStore *store, const QMetaObject *type);
    void refresh();
    QJsonValue readField(int index) const;
    void updateFromStore();

    QPointer<MusubiStore> m_store;
    QStringList m_wireNames;
    QList<QJsonValue> m_json;
    mutable QBitArray m_warned;
    QHash<QString, int> m_indexOf; // wire name -> field index
    bool m_madeInApply = false; // made while its tree applied an envelope
};

// A list of child stores, rows as their typed views: the model a generated class
// gives for a field of type list(Mod.state()). Follows the store's
// MusubiStoreListModel row by row (roles \c store, the typed view, and \c storeId).
class MUSUBI_CORE_EXPORT MusubiTypedStoreListModel : public QIdentityProxyModel
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    using Factory = std::function<MusubiTypedStore *(MusubiStore *)>;
    MusubiTypedStoreListModel(Factory factory, QObject *parent = nullptr);
    ~MusubiTypedStoreListModel() override;

    int count() const;
    // The typed view of row \a row (nullptr out of range).
    Q_INVOKABLE MusubiTypedStore *get(int row) const;
    template<typename T>
    T *at(int row) const
    {
        return static_cast<T *>(get(row));
    }
    Q_INVOKABLE QJsonArray storeIdAt(int row) const;
    Q_INVOKABLE int indexOfStoreId(const QJsonArray &storeId) const;

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    // Follows \a list (nullptr: no rows). Used by the generated class.
    void setStoreList(MusubiStoreListModel *list);

Q_SIGNALS:
    void countChanged();

private:
    Factory m_factory;
    int m_count = 0;
    void updateCount();
};

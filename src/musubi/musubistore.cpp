// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubistore.h"

#include "musubicommanderror.h"
#include "musubistoretree.h"
#include "musubistoretree_p.h"

#include <QtCore/QFutureInterface>
#include <QtCore/QJsonDocument>
#include <QtCore/QLoggingCategory>

using namespace Qt::StringLiterals;

Q_LOGGING_CATEGORY(lcMusubiStore, "musubi.store")

MusubiStore::MusubiStore(MusubiStoreTree *tree, const QStringList &storeId)
    : QQmlPropertyMap(this, tree)
    , m_tree(tree)
    , m_storeId(storeId)
{ }

MusubiStore::~MusubiStore() = default;

QJsonArray MusubiStore::storeIdJson() const
{
    return QJsonArray::fromStringList(m_storeId);
}

QStringList MusubiStore::storeIdList() const
{
    return m_storeId;
}

MusubiStoreTree *MusubiStore::tree() const
{
    return m_alive ? m_tree.data() : nullptr;
}

bool MusubiStore::isAlive() const
{
    return m_alive;
}

int MusubiStore::revision() const
{
    return m_revision;
}

QJsonObject MusubiStore::node() const
{
    if (!m_alive || !m_tree)
        return {};
    const Musubi::detail::WireNode *node = m_tree->d->wire.storeNode(m_storeId);
    return node ? node->toJson().toObject() : QJsonObject();
}

QJsonValue MusubiStore::resolvedState() const
{
    if (!m_alive || !m_tree)
        return QJsonValue(QJsonValue::Undefined);
    return m_tree->resolvedState(storeIdJson());
}

QFuture<QJsonValue> MusubiStore::dispatch(const QString &name, const QJsonObject &payload)
{
    if (!m_alive || !m_tree) {
        QFutureInterface<QJsonValue> failed;
        failed.reportStarted();
        failed.reportException(MusubiCommandError(MusubiCommandError::Kind::Unmounted, name,
                                                  storeIdJson(), QJsonValue(QJsonValue::Undefined),
                                                  u"the store is no longer mounted"_s));
        failed.reportFinished();
        return failed.future();
    }
    return m_tree->dispatch(storeIdJson(), name, payload);
}

void MusubiStore::deliverEvent(const QString &name, const QJsonValue &payload)
{
    Q_EMIT eventReceived(name, payload);
}

QVariant MusubiStore::updateValue(const QString &key, const QVariant &input)
{
    Q_UNUSED(input);
    // Server-authoritative: state changes only through commands and the patches they cause.
    qCWarning(lcMusubiStore).noquote()
            << u"Refusing to write \"%1\" of store %2: store state is read-only; send a command "
               u"with MusubiStore::dispatch() (MusubiCommand in QML) instead."_s.arg(
                       key,
                       QString::fromUtf8(
                               QJsonDocument(storeIdJson()).toJson(QJsonDocument::Compact)));
    return value(key);
}

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "counterroot.h"

#include <musubicommanderror.h>
#include <musubistore.h>

#include <QtCore/QFuture>
#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

CounterRoot::CounterRoot(MusubiConnection *connection, const QString &instanceId, QObject *parent)
    : MusubiRoot(connection, u"Demo.CounterStore"_s, instanceId, {}, parent)
{ }

int CounterRoot::count() const
{
    return store() ? store()->value(u"count"_s).toInt() : 0;
}

void CounterRoot::increment(int amount)
{
    send(u"increment"_s, {{u"amount"_s, amount}});
}

void CounterRoot::reset()
{
    send(u"reset"_s, {});
}

void CounterRoot::storesChangeEvent(const QList<QJsonArray> &storeIds)
{
    // One notification per envelope for every store that appeared or changed
    // (the first envelope lists the root store too); only the root store ([])
    // holds the count.
    if (storeIds.contains(QJsonArray()))
        refreshCount();
}

void CounterRoot::refreshCount()
{
    const int count = this->count();
    if (count == m_count)
        return;
    m_count = count;
    Q_EMIT countChanged(m_count);
}

void CounterRoot::send(const QString &name, const QJsonObject &payload)
{
    // The reply carries nothing: the new count arrives with the patch.
    dispatch(QJsonArray(), name, payload)
            .onFailed(this, [self = QPointer<CounterRoot>(this)](const MusubiCommandError &error) {
                if (self)
                    Q_EMIT self->commandFailed(error.message());
                return QJsonValue();
            });
}

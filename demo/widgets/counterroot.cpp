// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "counterroot.h"

#include <musubicommanderror.h>

#include <QtCore/QFuture>
#include <QtCore/QPointer>

CounterRoot::CounterRoot(MusubiConnection *connection, const QString &instanceId, QObject *parent)
    : Demo::CounterStoreRoot(connection, instanceId, Demo::CounterStoreParams{}, parent)
{
    // state() is a new view when the root store changes identity (first state, a
    // remount); a second holder of a live root gets it synchronously in mount().
    connect(this, &Demo::CounterStoreRoot::stateChanged, this, &CounterRoot::followState);
}

int CounterRoot::count() const
{
    return state() ? int(state()->count()) : 0;
}

void CounterRoot::increment(int amount)
{
    if (state())
        watch(state()->increment(amount));
    else
        Q_EMIT commandFailed(tr("the counter is not live"));
}

void CounterRoot::reset()
{
    if (state())
        watch(state()->reset());
    else
        Q_EMIT commandFailed(tr("the counter is not live"));
}

void CounterRoot::followState()
{
    if (Demo::CounterStore *view = state())
        connect(view, &Demo::CounterStore::countChanged, this, &CounterRoot::refreshCount,
                Qt::UniqueConnection);
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

void CounterRoot::watch(QFuture<void> command)
{
    // The reply carries nothing: the new count arrives with the patch.
    command.onFailed(this, [self = QPointer<CounterRoot>(this)](const MusubiCommandError &error) {
        if (self)
            Q_EMIT self->commandFailed(error.message());
    });
}

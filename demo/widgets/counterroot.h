// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubidemotypedstores.h>

/*!
    \class CounterRoot
    \brief The \c Demo.CounterStore root of the widgets demo: the generated
    Demo::CounterStoreRoot with the count as a value-carrying signal.

    Everything typed comes from musubi-codegen: state() is the Demo::CounterStore
    view with count() and the \c increment / \c reset commands. CounterRoot only
    follows the view across remounts and turns its countChanged() into
    countChanged(int), emitted for a real change of the value (also when a root
    that is already live is mounted by a second holder).

    \code
    CounterRoot counter(&connection, u"counter-1"_s);
    QObject::connect(&counter, &CounterRoot::countChanged, label,
                     [label](int count) { label->setNum(count); });
    counter.mount();
    counter.increment(5);
    \endcode
*/
class CounterRoot : public Demo::CounterStoreRoot
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    CounterRoot(MusubiConnection *connection, const QString &instanceId, QObject *parent = nullptr);

    //! The server's \c count (state()->count()); 0 until the first state arrived.
    int count() const;

public Q_SLOTS:
    //! Sends \c increment with \a amount; the new count arrives as countChanged().
    void increment(int amount = 1);
    //! Sends \c reset.
    void reset();

Q_SIGNALS:
    //! The count changed (only emitted for a real change of the value).
    void countChanged(int count);
    //! A command failed (not connected, refused, timed out).
    void commandFailed(const QString &message);

private:
    void followState();
    void refreshCount();
    void watch(QFuture<void> command);

    int m_count = 0;
};

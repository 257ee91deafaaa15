// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiroot.h>

/*!
    \class CounterRoot
    \brief A typed C++ face for the \c Demo.CounterStore root store.

    Shows how widget code subclasses MusubiRoot: typed accessors read the root
    store, storesChangeEvent() turns the cumulative change notification into a
    specific signal (it alone brings the initial count, as the first envelope
    lists the root store), and commands become ordinary methods.

    \code
    CounterRoot counter(&connection, u"counter-1"_s);
    QObject::connect(&counter, &CounterRoot::countChanged, label,
                     [label](int count) { label->setNum(count); });
    counter.mount();
    counter.increment(5);
    \endcode
*/
class CounterRoot : public MusubiRoot
{
    Q_OBJECT
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    CounterRoot(MusubiConnection *connection, const QString &instanceId, QObject *parent = nullptr);

    //! The server's \c count; 0 until the first state arrived.
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

protected:
    void storesChangeEvent(const QList<QJsonArray> &storeIds) override;

private:
    void refreshCount();
    void send(const QString &name, const QJsonObject &payload);

    int m_count = 0;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

#include <QtCore/QStringList>

class QTimer;
class DemoTodoItemStore;

/*!
    \class DemoTodoStore
    \brief \c Demo.TodoStore: a list of todos, each one a child store.

    Fields: \c title, \c todos (an array of child stores DemoTodoItemStore, in
    creation order) and \c stats, an async value that turns \c loading (with
    the previous counts) after every change and \c ok with
    \c{{"total","done","open"}} StatsDelay milliseconds later, like a
    server-side computation would.

    Command \c add \c{{"title"}} on the root adds a todo and replies
    \c{{"id": ...}} (an empty title fails with \c empty_title); \c toggle and
    \c remove are commands of each todo.

    Three todos are seeded on mount (mount param \c seed: false starts empty).
*/
class DemoTodoStore : public MusubiTestStore
{
    Q_OBJECT

public:
    //! How long the stats stay \c loading after a change, in milliseconds.
    static constexpr int StatsDelay = 300;

    explicit DemoTodoStore(QObject *parent = nullptr);

    void mount(const QJsonObject &params) override;
    QJsonObject render() const override;

    //! Adds a todo and returns its id.
    QString addTodo(const QString &title, bool done = false);
    //! Takes todo \a id off the list; the child store is deleted on the next event-loop turn.
    void removeTodo(const QString &id);
    //! Called by a todo when it changed: restarts the stats computation.
    void todosChanged();

private:
    QJsonObject counts() const;
    void finishStats();

    QStringList m_order;
    int m_nextId = 1;
    QTimer *m_statsTimer = nullptr;
};

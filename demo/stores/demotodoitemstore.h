// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiteststore.h>

class DemoTodoStore;

/*!
    \class DemoTodoItemStore
    \brief One todo of \c Demo.TodoStore, a child store (\c{["todos", "<id>"]}).

    Fields: \c id, \c title, \c done. Commands: \c toggle (flips \c done) and
    \c remove (takes the todo off its list); neither replies with data.
*/
class DemoTodoItemStore : public MusubiTestStore
{
    Q_OBJECT

public:
    DemoTodoItemStore(DemoTodoStore *list, const QString &id, const QString &title,
                      bool done = false);

    QString id() const;
    bool isDone() const;
};

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demotodoitemstore.h"

#include "demotodostore.h"

#include <QtCore/QPointer>

using namespace Qt::StringLiterals;

DemoTodoItemStore::DemoTodoItemStore(DemoTodoStore *list, const QString &id, const QString &title,
                                     bool done)
    : MusubiTestStore(nullptr)
{
    setState({{u"id"_s, id}, {u"title"_s, title}, {u"done"_s, done}});
    onCommand(u"toggle"_s, [this, list = QPointer<DemoTodoStore>(list)](const QJsonObject &) {
        setValue(u"done"_s, !isDone());
        if (list)
            list->todosChanged();
        return MusubiTestReply::noReply();
    });
    onCommand(u"remove"_s, [this, list = QPointer<DemoTodoStore>(list)](const QJsonObject &) {
        // The list deletes this store later; running handler code must not
        // outlive its own object.
        if (list)
            list->removeTodo(this->id());
        return MusubiTestReply::noReply();
    });
}

QString DemoTodoItemStore::id() const
{
    return value(u"id"_s).toString();
}

bool DemoTodoItemStore::isDone() const
{
    return value(u"done"_s).toBool();
}

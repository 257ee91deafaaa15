// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "demotodostore.h"

#include "demotodoitemstore.h"

#include <QtCore/QJsonArray>
#include <QtCore/QPointer>
#include <QtCore/QTimer>

using namespace Qt::StringLiterals;

namespace {
QStringList localIdOf(const QString &id)
{
    return {u"todos"_s, id};
}
} // namespace

DemoTodoStore::DemoTodoStore(QObject *parent)
    : MusubiTestStore(parent)
    , m_statsTimer(new QTimer(this))
{
    m_statsTimer->setSingleShot(true);
    m_statsTimer->setInterval(StatsDelay);
    connect(m_statsTimer, &QTimer::timeout, this, &DemoTodoStore::finishStats);

    setState({{u"title"_s, u"Todos"_s}, {u"stats"_s, asyncLoading()}});
    onCommand(u"add"_s, [this](const QJsonObject &payload) {
        const QString title = payload.value(u"title"_s).toString().trimmed();
        if (title.isEmpty())
            return MusubiTestReply::error(u"empty_title"_s);
        return MusubiTestReply::ok({{u"id"_s, addTodo(title)}});
    });
}

void DemoTodoStore::mount(const QJsonObject &params)
{
    if (params.value(u"seed"_s).toBool(true)) {
        addTodo(u"Mount a root store"_s, true);
        addTodo(u"Bind a QML view to a stream"_s);
        addTodo(u"Try it against a real Musubi server"_s);
    }
    todosChanged();
}

QJsonObject DemoTodoStore::render() const
{
    QJsonObject out = state();
    QJsonArray todos;
    for (const QString &id : m_order)
        todos.append(childSlot(localIdOf(id)));
    out.insert(u"todos"_s, todos);
    return out;
}

QString DemoTodoStore::addTodo(const QString &title, bool done)
{
    const QString id = QString::number(m_nextId++);
    addChild(localIdOf(id), new DemoTodoItemStore(this, id, title, done));
    m_order.append(id);
    todosChanged();
    return id;
}

void DemoTodoStore::removeTodo(const QString &id)
{
    if (!m_order.removeOne(id))
        return;
    // Out of the render output now (so it unmounts with the next envelope);
    // the object itself goes later because its command handler may be running.
    QTimer::singleShot(0, this, [self = QPointer<DemoTodoStore>(this), id] {
        if (self)
            self->removeChild(localIdOf(id));
    });
    todosChanged();
}

void DemoTodoStore::todosChanged()
{
    const QJsonObject previous = value(u"stats"_s).toObject();
    setValue(u"stats"_s, asyncLoading(previous.value(u"result"_s)));
    m_statsTimer->start();
}

QJsonObject DemoTodoStore::counts() const
{
    int done = 0;
    for (const QString &id : m_order) {
        const auto *todo = qobject_cast<DemoTodoItemStore *>(childStore(localIdOf(id)));
        if (todo && todo->isDone())
            ++done;
    }
    const int total = int(m_order.size());
    return {{u"total"_s, total}, {u"done"_s, done}, {u"open"_s, total - done}};
}

void DemoTodoStore::finishStats()
{
    setValue(u"stats"_s, asyncOk(counts()));
}

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "examplestores.h"

#include <musubitestserver.h>

#include <QtCore/QJsonArray>

using namespace Qt::StringLiterals;

namespace {

class TodoStore : public MusubiTestStore
{
public:
    TodoStore()
    {
        onCommand(u"add"_s, [this](const QJsonObject &payload) {
            const QString title = payload.value(u"title"_s).toString();
            if (title.isEmpty())
                return MusubiTestReply::error(u"empty_title"_s);
            const QString id = u"todo-%1"_s.arg(++m_next);
            auto *todo = new MusubiTestStore;
            todo->setState({{u"title"_s, title}, {u"done"_s, false}});
            todo->onCommand(u"toggle"_s, [todo](const QJsonObject &) {
                todo->setValue(u"done"_s, !todo->value(u"done"_s).toBool());
                return MusubiTestReply::noReply();
            });
            todo->onCommand(u"remove"_s, [this, id](const QJsonObject &) {
                m_ids.removeAll(id);
                // Deleting the child from inside its own handler is not allowed; defer it.
                QMetaObject::invokeMethod(
                        this,
                        [this, id] {
                            removeChild({u"todos"_s, id});
                        },
                        Qt::QueuedConnection);
                invalidate();
                return MusubiTestReply::noReply();
            });
            addChild({u"todos"_s, id}, todo);
            m_ids.append(id);
            pushEvent(u"added"_s, QJsonObject{{u"id"_s, id}});
            return MusubiTestReply::ok({{u"id"_s, id}});
        });
    }

    QJsonObject render() const override
    {
        QJsonArray todos;
        for (const QString &id : m_ids)
            todos.append(childSlot({u"todos"_s, id}));
        return {{u"todos"_s, todos}};
    }

private:
    QStringList m_ids;
    int m_next = 0;
};

} // namespace

void registerExampleStores(MusubiTestServer *server)
{
    server->registerRoot(u"Demo.CounterStore"_s, [](const MusubiTestMount &mount, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, mount.params.value(u"count"_s).toInt(0)}});
        store->onCommand(u"increment"_s, [store](const QJsonObject &payload) {
            store->setValue(u"count"_s,
                            store->value(u"count"_s).toInt() + payload.value(u"amount"_s).toInt(1));
            return MusubiTestReply::noReply();
        });
        store->onCommand(u"reset"_s, [store](const QJsonObject &) {
            store->setValue(u"count"_s, 0);
            return MusubiTestReply::noReply();
        });
        return store;
    });
    server->registerRoot<TodoStore>(u"Demo.TodoStore"_s);
}

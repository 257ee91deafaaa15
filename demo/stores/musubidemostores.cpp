// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubidemostores.h"

#include "demochatstore.h"
#include "democounterstore.h"
#include "demoprofilestore.h"
#include "demotodostore.h"

#include <musubitestserver.h>

using namespace Qt::StringLiterals;

void registerDemoStores(MusubiTestServer *server)
{
    if (!server)
        return;
    server->registerRoot<DemoCounterStore>(u"Demo.CounterStore"_s);
    server->registerRoot<DemoChatStore>(u"Demo.ChatStore"_s);
    server->registerRoot<DemoTodoStore>(u"Demo.TodoStore"_s);
    server->registerRoot<DemoProfileStore>(u"Demo.ProfileStore"_s);
}

QStringList demoStoreModules()
{
    return {u"Demo.CounterStore"_s, u"Demo.ChatStore"_s, u"Demo.TodoStore"_s,
            u"Demo.ProfileStore"_s};
}

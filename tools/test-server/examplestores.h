// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

class MusubiTestServer;

/*!
    Registers two small example stores, used by \c{musubi-test-server --demo}
    when the demo stores (demo/stores) are not part of the build:
    \list
    \li \c Demo.CounterStore: \c count (mount param \c count, default 0);
        commands \c increment \c{{"amount": int}} (no reply) and \c reset.
    \li \c Demo.TodoStore: a list of child stores \c todos (\c title, \c done);
        \c add \c{{"title"}} on the root, \c toggle and \c remove on a todo;
        push event \c added \c{{"id"}}.
    \endlist
*/
void registerExampleStores(MusubiTestServer *server);

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QStringList>

class MusubiTestServer;

/*!
    \brief Registers the demo root stores on \a server.

    The demo stores are shared by the QML demo (\c musubi_demo), the widgets
    demo (\c musubi_widgets_demo), \c{musubi-cli --demo} and
    \c{musubi-test-server --demo}:

    \list
    \li \c Demo.CounterStore (DemoCounterStore): \c count; \c increment, \c reset.
    \li \c Demo.ChatStore (DemoChatStore): \c title, the \c messages stream;
        \c send, push event \c message_sent.
    \li \c Demo.TodoStore (DemoTodoStore): one child store per todo; \c add on
        the root, \c toggle and \c remove on a todo; the async field \c stats.
    \li \c Demo.ProfileStore (DemoProfileStore): the upload \c avatar; \c save.
    \endlist

    \sa demoStoreModules()
*/
void registerDemoStores(MusubiTestServer *server);

//! The module names registerDemoStores() registers, in a stable order.
QStringList demoStoreModules();

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiqmltestserver.h"

/*!
    \qmltype MusubiTestServer
    \inqmlmodule Musubi.Testing
    \brief An in-process Musubi server for QML tests, with its root store types declared in QML.

    The C++ MusubiTestServer, with one addition: child MusubiTestRootStore
    objects are registered by their \c module name (see \l stores). With
    \l autoListen (default true) it listens on a free port when the component
    is complete.

    \qml
    MusubiTestServer {
        id: server
        MusubiTestRootStore { module: "Demo.CounterStore"; initialState: ({ count: 0 }) }
    }
    // server.url → ws://127.0.0.1:PORT/socket
    \endqml

    Everything of the C++ class is available from QML: the properties \l url,
    \l port, \l listening, \l profile, \l answersHeartbeats, \l requiredToken,
    \l connectionCount and \l mountedRootCount, the introspection and
    fault-injection methods (its Q_INVOKABLE functions: \c mountedRoot(rootId),
    \c wireTree(rootId), \c rootVersion(rootId), \c joinedTopics(),
    \c uploadDirectory(), \c flush(), \c dropConnections(),
    \c dropAfterNextCommand(), \c skipNextVersion(), \c{sendEnvelope(rootId,
    envelope)}, \c sendRawText(frame), \c sendRawBinary(frame),
    \c{delayNextReply(ms, event)}, \c withholdNextReply(event),
    \c{closeChannel(topic, how)}), the PubSub methods \c{broadcast(topic,
    message)}, \c{broadcastFrom(store, topic, message)} and
    \c subscriberCount(topic), and all of its signals (\c rootMounted,
    \c commandReceived, \c envelopeSent, \c clientRefusedWithStatus, ...).
    Their C++ documentation applies as is. The hooks that take C++ functions
    (the authenticators, registerRoot() with a factory) are C++ only.

    \sa MusubiTestRootStore, MusubiTestStore
*/

/*!
    \qmlproperty list<MusubiTestRootStore> MusubiTestServer::stores
    \qmldefault

    The root store types served, one MusubiTestRootStore per module. Child
    MusubiTestRootStore objects land here; each is registered under its
    \c module once the server's component is complete, and again whenever its
    \c module changes (a definition with an empty module is not registered).
    \sa addStore()
*/

/*!
    \qmlproperty bool MusubiTestServer::autoListen

    Whether the server listens on a free port (\c{listen(0)}) when its
    component is complete. True by default; set it to false to call
    \c listen(port) yourself.
*/

/*!
    \qmlproperty url MusubiTestServer::url
    \readonly

    \c{ws://127.0.0.1:PORT/socket}: the base URL a MusubiConnection is given.
*/

/*!
    \qmlproperty int MusubiTestServer::port
    \readonly

    The port listened on, 0 when not listening.
*/

/*!
    \qmlproperty bool MusubiTestServer::listening
    \readonly

    Whether the server is listening.
*/

/*!
    \qmlproperty enumeration MusubiTestServer::profile

    Which transport generations are served (docs/protocol.md §0):
    \value MusubiTestServer.Both     Both topics (default).
    \value MusubiTestServer.Shared   Only \c musubi:connection; per-root topics are refused
                                     with \c unauthorized.
    \value MusubiTestServer.PerRoot  Only \c{musubi:connection:<root>}; the shared topic is
                                     refused with \c unauthorized.
*/

/*!
    \qmlproperty bool MusubiTestServer::answersHeartbeats

    Whether heartbeats get a reply (true by default). When false, the client
    should declare the socket dead.
*/

/*!
    \qmlproperty string MusubiTestServer::requiredToken

    When non-empty, a socket whose connect param \c token differs is refused
    during the upgrade with HTTP 401 Unauthorized. Empty (default): no token
    is required.
*/

/*!
    \qmlproperty int MusubiTestServer::connectionCount
    \readonly

    The number of connected client sockets.
*/

/*!
    \qmlproperty int MusubiTestServer::mountedRootCount
    \readonly

    The number of mounted roots, over all connections.
*/

/*!
    \qmlmethod void MusubiTestServer::addStore(MusubiTestRootStore definition)

    Registers \a definition like a child of \l stores: under its \c module
    once the component is complete (at once if it already is), and again
    whenever the module changes. Adding the same definition twice does
    nothing.
*/

MusubiQmlTestServer::MusubiQmlTestServer(QObject *parent)
    : MusubiTestServer(parent)
{ }

QQmlListProperty<MusubiQmlTestRootStore> MusubiQmlTestServer::stores()
{
    return QQmlListProperty<MusubiQmlTestRootStore>(this, nullptr, &appendStore, &storeCount,
                                                    &storeAt, nullptr);
}

void MusubiQmlTestServer::setAutoListen(bool autoListen)
{
    if (m_autoListen == autoListen)
        return;
    m_autoListen = autoListen;
    Q_EMIT autoListenChanged();
}

void MusubiQmlTestServer::addStore(MusubiQmlTestRootStore *definition)
{
    if (!definition || m_stores.contains(definition))
        return;
    m_stores.append(definition);
    connect(definition, &MusubiQmlTestRootStore::moduleChanged, this,
            [this, definition] { registerDefinition(definition); });
    if (m_complete)
        registerDefinition(definition);
}

void MusubiQmlTestServer::registerDefinition(MusubiQmlTestRootStore *definition)
{
    if (definition->module().isEmpty())
        return;
    QPointer<MusubiQmlTestRootStore> guard(definition);
    registerRoot(definition->module(), [guard](const MusubiTestMount &mount, QString *refusal) {
        return guard ? guard->create(mount, refusal) : nullptr;
    });
}

void MusubiQmlTestServer::componentComplete()
{
    m_complete = true;
    for (const auto &definition : std::as_const(m_stores)) {
        if (definition)
            registerDefinition(definition);
    }
    if (m_autoListen)
        listen(0);
}

void MusubiQmlTestServer::appendStore(QQmlListProperty<MusubiQmlTestRootStore> *list,
                                      MusubiQmlTestRootStore *store)
{
    static_cast<MusubiQmlTestServer *>(list->object)->addStore(store);
}

qsizetype MusubiQmlTestServer::storeCount(QQmlListProperty<MusubiQmlTestRootStore> *list)
{
    return static_cast<MusubiQmlTestServer *>(list->object)->m_stores.size();
}

MusubiQmlTestRootStore *MusubiQmlTestServer::storeAt(QQmlListProperty<MusubiQmlTestRootStore> *list,
                                                     qsizetype index)
{
    return static_cast<MusubiQmlTestServer *>(list->object)->m_stores.value(index);
}

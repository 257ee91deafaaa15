// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubiinspectorsession.h"

#include "musubiconnection.h"
#include "musubitrace.h"

using namespace Qt::StringLiterals;

/*!
    \class MusubiInspectorSession
    \inmodule MusubiInspector
    \brief What the inspector shows of one connection: its state, its roots,
    the store tree of a selected root and logs of envelopes, commands and
    events.

    Setting connection() reads MusubiTrace::connectionState() and
    MusubiTrace::roots(), then follows MusubiTrace::recorded(). The session
    is the only listener it adds: a connection without a session builds no
    records at all. \c status records update connectionState(); \c phase,
    \c envelope and \c cache records update roots(); \c envelope,
    \c command and \c event records go to envelopes(), commands() and
    events(). The roots are read again once per event-loop turn after such
    records, when the runtime has finished the change they report. storeModel() shows MusubiTrace::storeTree() of selectedRoot(),
    taken again when that root's phase changes (a remount).

    \sa MusubiTrace, MusubiInspectorLogModel, MusubiInspectorStoreModel
*/

/*!
    Constructs a session with no connection, with \a parent.
*/
MusubiInspectorSession::MusubiInspectorSession(QObject *parent)
    : QObject(parent)
    , m_roots(new MusubiInspectorRootsModel(this))
    , m_envelopes(new MusubiInspectorLogModel(MusubiInspectorLogModel::Kind::Envelopes, this))
    , m_commands(new MusubiInspectorLogModel(MusubiInspectorLogModel::Kind::Commands, this))
    , m_events(new MusubiInspectorLogModel(MusubiInspectorLogModel::Kind::Events, this))
    , m_storeModel(new MusubiInspectorStoreModel(this))
{ }

/*!
    Destroys the session; the connection's trace stops building records if
    nothing else listens.
*/
MusubiInspectorSession::~MusubiInspectorSession()
{
    disconnect(m_recorded);
    disconnect(m_destroyed);
}

/*!
    \property MusubiInspectorSession::connection
    \brief the connection inspected, or null.
*/
MusubiConnection *MusubiInspectorSession::connection() const
{
    return m_connection;
}

void MusubiInspectorSession::setConnection(MusubiConnection *connection)
{
    if (m_connection == connection)
        return;
    disconnect(m_recorded);
    disconnect(m_destroyed);
    m_connection = connection;
    m_trace = connection ? connection->trace() : nullptr;
    if (m_trace) {
        m_recorded =
                connect(m_trace, &MusubiTrace::recorded, this, &MusubiInspectorSession::record);
        // m_connection is already null when this arrives; the trace is going too.
        m_destroyed = connect(connection, &QObject::destroyed, this, [this] {
            disconnect(m_recorded);
            disconnect(m_destroyed);
            m_trace = nullptr;
            reread();
            Q_EMIT connectionChanged();
        });
    }
    reread();
    Q_EMIT connectionChanged();
}

/*!
    \property MusubiInspectorSession::connectionState
    \brief the connection's \c url, \c status, \c protocol, \c active_protocol
    and \c error (see MusubiTrace::connectionState()); empty without a
    connection.
*/
QVariantMap MusubiInspectorSession::connectionState() const
{
    return m_connectionState;
}

/*!
    \property MusubiInspectorSession::roots
    \brief the roots mounted on the connection.
*/
MusubiInspectorRootsModel *MusubiInspectorSession::roots() const
{
    return m_roots;
}

/*!
    \property MusubiInspectorSession::envelopes
    \brief the log of \c envelope records.
*/
MusubiInspectorLogModel *MusubiInspectorSession::envelopes() const
{
    return m_envelopes;
}

/*!
    \property MusubiInspectorSession::commands
    \brief the log of \c command records.
*/
MusubiInspectorLogModel *MusubiInspectorSession::commands() const
{
    return m_commands;
}

/*!
    \property MusubiInspectorSession::events
    \brief the log of \c event records.
*/
MusubiInspectorLogModel *MusubiInspectorSession::events() const
{
    return m_events;
}

/*!
    \property MusubiInspectorSession::selectedRoot
    \brief the root (\c{"<module>:<id>"}) whose store tree storeModel() shows.
*/
QString MusubiInspectorSession::selectedRoot() const
{
    return m_selectedRoot;
}

void MusubiInspectorSession::setSelectedRoot(const QString &root)
{
    if (m_selectedRoot == root)
        return;
    m_selectedRoot = root;
    updateTree();
    Q_EMIT selectedRootChanged();
}

/*!
    \property MusubiInspectorSession::storeModel
    \brief the store tree of selectedRoot().
*/
MusubiInspectorStoreModel *MusubiInspectorSession::storeModel() const
{
    return m_storeModel;
}

/*!
    Clears the three logs.
*/
void MusubiInspectorSession::clearLogs()
{
    m_envelopes->clear();
    m_commands->clear();
    m_events->clear();
}

void MusubiInspectorSession::record(const QJsonObject &record)
{
    const QString kind = record.value(u"kind"_s).toString();
    if (kind == u"status"_s) {
        reread();
        return;
    }
    if (kind == u"envelope"_s)
        m_envelopes->append(record);
    else if (kind == u"command"_s)
        m_commands->append(record);
    else if (kind == u"event"_s)
        m_events->append(record);
    if (kind == u"phase"_s || kind == u"envelope"_s || kind == u"cache"_s) {
        // A record is emitted while its root is still changing (its status follows its
        // phase): read the roots once the runtime is done, once per event-loop turn. The
        // connection's protocol in use is settled after its status edge (the first join
        // decides it), so it is read again then too.
        if (!m_rootsPending) {
            m_rootsPending = true;
            QMetaObject::invokeMethod(
                    this,
                    [this] {
                        m_rootsPending = false;
                        readConnectionState();
                        m_roots->setRoots(m_trace ? m_trace->roots() : QJsonArray());
                    },
                    Qt::QueuedConnection);
        }
        if (kind == u"phase"_s && record.value(u"root"_s).toString() == m_selectedRoot)
            updateTree();
    }
}

// Everything the trace can tell at once: a new connection, or a status edge.
void MusubiInspectorSession::reread()
{
    readConnectionState();
    m_roots->setRoots(m_trace ? m_trace->roots() : QJsonArray());
    updateTree();
}

void MusubiInspectorSession::readConnectionState()
{
    const QVariantMap state = m_trace ? m_trace->connectionState().toVariantMap() : QVariantMap();
    if (state != m_connectionState) {
        m_connectionState = state;
        Q_EMIT connectionStateChanged();
    }
}

void MusubiInspectorSession::updateTree()
{
    m_storeModel->setTree(m_trace && !m_selectedRoot.isEmpty() ? m_trace->storeTree(m_selectedRoot)
                                                               : nullptr);
}

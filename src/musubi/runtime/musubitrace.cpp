// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "musubitrace.h"
#include "musubiconnection.h"
#include "musubiconnection_p.h"
#include "musubirootmount_p.h"
#include "musubitrace_p.h"

#include <QtCore/QDateTime>
#include <QtCore/QMetaEnum>
#include <QtCore/QMetaMethod>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace Musubi::detail {

void TraceSink::emitRecord(MusubiTrace *trace, const QString &kind, QJsonObject record)
{
    record.insert(u"kind"_s, kind);
    record.insert(u"at"_s, QDateTime::currentMSecsSinceEpoch());
    Q_EMIT trace->recorded(record);
}

QString TraceSink::enumName(const char *key)
{
    QString name;
    if (!key)
        return name;
    for (const char *c = key; *c; ++c) {
        const QChar ch = QLatin1Char(*c);
        if (ch.isUpper()) {
            if (c != key)
                name += u'_';
            name += ch.toLower();
        } else {
            name += ch;
        }
    }
    return name;
}

} // namespace Musubi::detail

using namespace Musubi::detail;

namespace {
template<typename E>
QString nameOf(E value)
{
    return TraceSink::enumName(QMetaEnum::fromType<E>().valueToKey(int(value)));
}
} // namespace

/*!
    \class MusubiTrace
    \inmodule MusubiCore
    \ingroup musubi-runtime
    \brief What a connection does, as records for an inspector: status edges,
    envelopes, commands, events, root phases and cache lookups.

    Every MusubiConnection owns one, MusubiConnection::trace(). It reports
    only while something is connected to recorded(): each hook of the runtime
    first checks isListening() and builds nothing otherwise, so a connection
    nobody inspects pays one check per envelope or command (the benchmark
    \c bench_trace prints both costs).

    Each record is a JSON object with \c kind, \c at (wall-clock milliseconds
    since the epoch) and, for a root, \c root (\c{"<module>:<id>"}). The
    kinds and their fields are listed in \l{Inspecting a running app}:

    \table
    \header \li kind \li fields
    \row \li \c status \li \c status, \c old (connection status, e.g.
        \c connected, \c reconnecting), \c protocol (the one in use: \c auto
        until chosen), \c error
    \row \li \c phase \li \c phase, \c old (\c mounting, \c live,
        \c rejoining, \c recovering, \c failed, \c torn_down; \c old is null
        for a new mount), \c status (the root status it shows), \c version,
        \c reason (why it recovers or failed)
    \row \li \c envelope \li \c accepted, \c initial, \c base_version,
        \c version, \c ops, \c stream_ops, \c upload_ops, \c events,
        \c bytes (the frame that carried it), \c apply_us and \c changed (store
        ids) when accepted, \c reason when refused
    \row \li \c command \li \c store_id, \c name, \c payload, \c outcome
        (\c ok or \c error), \c reply (the server's response), \c error (a
        MusubiCommandError::kindName()), \c sent (whether it reached the
        wire), \c latency_us (push to reply)
    \row \li \c event \li \c store_id, \c name, \c payload
    \row \li \c cache \li \c result (\c hit, \c miss, \c evicted,
        \c dropped (the live state came first), \c revalidated), \c key,
        \c age_ms of a hit, \c reason of an eviction or a drop
    \endtable

    The records are the same ones \c{musubi-cli --trace} prints and the
    \c MusubiInspector panel (module \c Musubi.Inspector) shows.

    \sa MusubiConnection::trace
*/

MusubiTrace::MusubiTrace(ConnectionPrivate *connection)
    : QObject(connection->q)
    , d(connection)
{ }

/*!
    Destroys the trace (with its connection).
*/
MusubiTrace::~MusubiTrace() = default;

/*!
    \property MusubiTrace::connection
    \brief the connection this trace reports on.
*/
MusubiConnection *MusubiTrace::connection() const
{
    return d->q;
}

/*!
    \property MusubiTrace::listening
    \brief whether something is connected to recorded() (from C++ or QML).

    Records are built only while this is true.
*/
bool MusubiTrace::isListening() const
{
    static const QMetaMethod signal = QMetaMethod::fromSignal(&MusubiTrace::recorded);
    return isSignalConnected(signal);
}

/*!
    Returns the roots mounted on the connection now, one object per root,
    sorted by \c root: \c root, \c module, \c id, \c params, \c phase,
    \c status, \c version, \c from_cache, \c fetching, \c holders and
    \c error. A listener that starts late reads this first.
*/
QJsonArray MusubiTrace::roots() const
{
    QList<RootMount *> mounts = d->mounts.values();
    std::sort(mounts.begin(), mounts.end(),
              [](const RootMount *a, const RootMount *b) { return a->key() < b->key(); });
    QJsonArray rows;
    for (const RootMount *mount : std::as_const(mounts)) {
        if (mount->phase() == RootMount::Phase::TornDown)
            continue;
        rows.append(QJsonObject{
                {u"root"_s, mount->key()},
                {u"module"_s, mount->module()},
                {u"id"_s, mount->id()},
                {u"params"_s, mount->params()},
                {u"phase"_s, nameOf(mount->phase())},
                {u"status"_s, nameOf(mount->status())},
                {u"version"_s, mount->version()},
                {u"from_cache"_s, mount->isFromCache()},
                {u"fetching"_s, mount->isFetching()},
                {u"holders"_s, int(mount->holders().size())},
                {u"error"_s, mount->errorString()},
        });
    }
    return rows;
}

/*!
    Returns the connection's state now: \c url, \c status, \c protocol (the
    one configured), \c active_protocol (the one in use) and \c error.
*/
QJsonObject MusubiTrace::connectionState() const
{
    return QJsonObject{
            {u"url"_s, d->url.toString(QUrl::RemoveUserInfo | QUrl::RemoveQuery)},
            {u"status"_s, nameOf(d->status)},
            {u"protocol"_s, nameOf(d->protocol)},
            {u"active_protocol"_s, nameOf(d->active)},
            {u"error"_s, d->errorString},
    };
}

/*!
    Returns the store tree of the mounted root \a root (\c{"<module>:<id>"}),
    or null when it is not mounted. The tree belongs to the runtime: read it,
    do not apply envelopes to it.
*/
MusubiStoreTree *MusubiTrace::storeTree(const QString &root) const
{
    const RootMount *mount = d->mounts.value(root);
    return mount && mount->phase() != RootMount::Phase::TornDown ? mount->tree() : nullptr;
}

/*!
    \fn void MusubiTrace::recorded(const QJsonObject &record)

    Emitted for every \a record while something listens; see the class
    description for the kinds and their fields.

    It is emitted in the middle of the runtime's work (a command's record
    just before its future finishes, an envelope's before the root's
    signals): a slot must not delete the connection or its roots; use
    QObject::deleteLater() (or a queued connection).
*/

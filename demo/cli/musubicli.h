// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#pragma once

#include <musubiconnection.h>
#include <musubiroot.h>

#include <QtCore/QByteArray>
#include <QtCore/QFuture>
#include <QtCore/QHash>
#include <QtCore/QJsonObject>
#include <QtCore/QObject>
#include <QtCore/QPointer>
#include <QtCore/QSet>
#include <QtCore/QStringList>

#include <functional>
#include <memory>

class QSocketNotifier;

/*!
    \class MusubiCli
    \brief The JSON Lines front-end of \c musubi-cli: requests on stdin, one
    JSON object per line on stdout (and nothing else there), diagnostics on stderr.

    Requests are handled in order. A \c mount holds the requests after it
    until its \c mounted or \c error line, so a script can pipe a mount and
    its commands at once; \c quit and the end of input first wait for every
    outstanding command reply. Requests (each may carry \c tag, echoed back): \c mount, \c command,
    \c snapshot, \c unmount, \c quit (and, once the uploads API provides them,
    \c upload and \c cancel_upload through registerOp()). Unsolicited lines:
    \c status, \c root_status, \c changed, \c revalidated and \c event, and
    with setTraceKinds() the connection's trace records as \c trace lines. See
    demo/cli/README.md for the exact shapes.

    With the connection's mount cache on (MusubiConnection::cache()), a mount
    whose state is in the cache is answered at once with that state
    (\c{"from_cache": true}, version 0), before the server is reached.
*/
class MusubiCli : public QObject
{
    Q_OBJECT
public:
    //! Handles one request of an op registered with registerOp().
    using OpHandler = std::function<void(MusubiCli *cli, const QJsonObject &request)>;

    explicit MusubiCli(MusubiConnection *connection, QObject *parent = nullptr);
    ~MusubiCli() override;

    //! Starts reading requests from stdin; end of input acts like \c quit.
    void start();

    //! Handles one request line (public for tests and for extra front-ends).
    void handleLine(const QByteArray &line);

    //! Writes \a object as one line on stdout.
    static void emitLine(const QJsonObject &object);

    //! Adds (or replaces) request \a op; used for the upload ops.
    void registerOp(const QString &op, OpHandler handler);

    /*! Marks an asynchronous request of a registered op as outstanding:
        \c quit and the end of input wait for it like for a command reply.
        Pair every call with endPendingOp(). */
    void beginPendingOp();
    void endPendingOp();

    /*! Registers \a provider, called by every MusubiCli constructed later
        (typically to registerOp() more ops). Lets an area add ops from its own
        source file, compiled into musubi-cli with \c{target_sources()}, through
        a static initializer:
        \code
        static const bool registered = MusubiCli::addOpProvider([](MusubiCli *cli) {
            cli->registerOp(u"upload"_s, ...);
        });
        \endcode
        Returns true. */
    static bool addOpProvider(std::function<void(MusubiCli *cli)> provider);

    MusubiConnection *connection() const { return m_connection; }

    //! The mounted root called \a key (\c{"<module>:<instance_id>"}), or nullptr.
    MusubiRoot *root(const QString &key) const;

    //! The lowercase wire-facing names used on stdout.
    static QString statusName(MusubiConnection::Status status);
    static QString statusName(MusubiRoot::Status status);

    //! \c{{"type":"error","tag":T,"message":S}} (plus \a extra fields).
    void emitError(const QJsonValue &tag, const QString &message, const QJsonObject &extra = {});

    //! The kinds of MusubiTrace records: status, phase, envelope, command, event, cache.
    static QStringList traceKinds();

    /*! Prints every record of the connection's trace (MusubiConnection::trace()) whose
        \c kind is in \a kinds as one line, \c{{"type":"trace", ...the record's fields}},
        written like every other line (so trace lines keep their order among them). An
        empty \a kinds disconnects: nothing listens to the trace, which then builds no
        records. Call it before the connection opens to see its first status edge. */
    void setTraceKinds(const QStringList &kinds);

    /*! Stops at once (a signal): no more requests, no wait for outstanding
        replies; the cache is flushed, the connection closed, then finished(). */
    void stop();

Q_SIGNALS:
    //! \c quit or end of input: the connection is closed; the process should exit.
    void finished();

private:
    void readStdin();
    void enqueue(const QByteArray &line);
    void drain();
    void commandSettled();
    void mount(const QJsonObject &request, const QJsonValue &tag);
    void command(const QJsonObject &request, const QJsonValue &tag);
    void commandFinished(const QFuture<QJsonValue> &future, const QJsonValue &tag);
    void snapshot(const QJsonObject &request, const QJsonValue &tag);
    void unmount(const QJsonObject &request, const QJsonValue &tag);
    void quit();
    void forget(const QString &key);
    void traceRecorded(const QJsonObject &record);

    MusubiConnection *m_connection;
    QHash<QString, MusubiRoot *> m_roots;
    QHash<QString, OpHandler> m_extraOps;
    QSet<QString> m_traceKinds;
    QMetaObject::Connection m_trace; // to MusubiTrace::recorded, only with setTraceKinds()
    std::unique_ptr<QSocketNotifier> m_notifier;
    QByteArray m_buffer;
    QList<QByteArray> m_queue;
    bool m_mountInFlight = false; // holds the queue: scripts may pipe mount + command at once
    bool m_quitRequested = false;
    int m_commandsInFlight = 0;
    bool m_quitting = false;
};

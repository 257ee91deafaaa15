// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-cli: a headless JSON Lines front-end over MusubiConnection / MusubiRoot.
// stdout carries only JSON lines; every diagnostic goes to stderr.

#include "musubicli.h"

#include <musubicache.h>
#include <musubiconnection.h>

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>
#include <QtCore/QDir>
#include <QtCore/QFileInfo>
#include <QtCore/QLoggingCategory>
#include <QtCore/QSocketNotifier>

#if defined(MUSUBI_CLI_HAVE_DEMO_STORES)
#include <musubidemostores.h>
#include <musubitestserver.h>
#endif

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace {

[[noreturn]] void usageError(const QString &message)
{
    std::fprintf(stderr, "musubi-cli: %s\n(see musubi-cli --help)\n", qUtf8Printable(message));
    std::exit(2);
}

int intOption(const QCommandLineParser &parser, const QCommandLineOption &option, int fallback)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const int value = parser.value(option).toInt(&ok);
    if (!ok || value < 0)
        usageError(u"--%1 needs a non-negative integer"_s.arg(option.names().constFirst()));
    return value;
}

// QCommandLineParser has no optional option values, so --trace is a flag to it: each
// --trace=<kinds> in \a arguments is checked here, its kinds added to \a kinds, and turned
// into a bare --trace, which adds every kind. A value of another option (--topic --trace=x)
// is left alone, as the parser would read it.
QStringList takeTraceKinds(QStringList arguments, const QList<QCommandLineOption> &options,
                           QStringList *kinds)
{
    QStringList valued;
    for (const QCommandLineOption &option : options) {
        if (!option.valueName().isEmpty())
            valued += option.names();
    }
    const QStringList known = MusubiCli::traceKinds();
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        QString &argument = arguments[i];
        if (argument == "--"_L1)
            break; // the rest is positional
        if (argument.startsWith("--"_L1) && valued.contains(argument.mid(2))) {
            ++i; // its value follows
            continue;
        }
        const bool bare = argument == "--trace"_L1;
        if (!bare && !argument.startsWith("--trace="_L1))
            continue;
        const QStringList listed = bare ? known : argument.mid(8).split(u',');
        for (const QString &kind : listed) {
            if (!known.contains(kind)) {
                usageError(u"--trace: unknown kind \"%1\" (kinds: %2)"_s.arg(kind,
                                                                             known.join(u", "_s)));
            }
            if (!kinds->contains(kind))
                kinds->append(kind);
        }
        argument = u"--trace"_s;
    }
    return arguments;
}

// SIGINT and SIGTERM stop the tool like the end of input, without waiting for replies, so
// that the cache is written (a second signal kills it). The handler only writes the signal
// number to a pipe; the event loop reads it.
int signalPipe[2] = {-1, -1};

void onSignal(int signo)
{
    const int savedErrno = errno;
    const unsigned char byte = static_cast<unsigned char>(signo);
    if (::write(signalPipe[1], &byte, 1) < 0) { } // nothing to do about it in a handler
    errno = savedErrno;
}

void stopOnSignals(MusubiCli *cli, int *exitCode)
{
    if (::pipe2(signalPipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        std::fprintf(stderr, "musubi-cli: no signal handling: %s\n", std::strerror(errno));
        return;
    }
    auto *notifier = new QSocketNotifier(signalPipe[0], QSocketNotifier::Read, cli);
    QObject::connect(notifier, &QSocketNotifier::activated, cli, [cli, notifier, exitCode] {
        unsigned char signo = 0;
        if (::read(signalPipe[0], &signo, 1) != 1)
            return;
        notifier->setEnabled(false);
        // Whichever signal comes next kills the tool (SA_RESETHAND reset only this one).
        ::signal(SIGINT, SIG_DFL);
        ::signal(SIGTERM, SIG_DFL);
        std::fprintf(stderr, "musubi-cli: %s, stopping\n", strsignal(signo));
        *exitCode = 128 + signo;
        cli->stop();
    });
    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART | SA_RESETHAND;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"musubi-cli"_s);
    QCoreApplication::setApplicationVersion(u"" MUSUBI_CLI_VERSION ""_s);

    QCommandLineParser parser;
    parser.setApplicationDescription(
            u"Headless Musubi client: JSON Lines requests on stdin, JSON Lines on stdout."_s);
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption url(u"url"_s, u"Server socket URL, e.g. ws://HOST:PORT/socket."_s,
                                 u"url"_s);
    const QCommandLineOption demo(u"demo"_s, u"Serve the demo stores from an embedded server."_s);
    const QCommandLineOption protocol(u"protocol"_s, u"auto (default), shared or per-root."_s,
                                      u"profile"_s, u"auto"_s);
    const QCommandLineOption param(u"param"_s, u"Connect param (repeatable)."_s, u"KEY=VALUE"_s);
    const QCommandLineOption topic(u"topic"_s, u"Base topic (default musubi:connection)."_s,
                                   u"base"_s);
    const QCommandLineOption heartbeat(u"heartbeat-ms"_s, u"Heartbeat interval."_s, u"ms"_s);
    const QCommandLineOption pushTimeout(u"push-timeout-ms"_s, u"Command reply timeout."_s,
                                         u"ms"_s);
    const QCommandLineOption joinTimeout(u"join-timeout-ms"_s, u"Join / mount reply timeout."_s,
                                         u"ms"_s);
    const QCommandLineOption cacheDir(
            u"cache-dir"_s,
            u"Turn the mount cache on, with its entries in this directory: a mount whose "
            "state an earlier run saved is answered at once from it (\"from_cache\": true), "
            "before the server is reached. Off without this option."_s,
            u"dir"_s);
    const QCommandLineOption cacheGc(
            u"cache-gc-ms"_s,
            u"How old a cache entry may be and still be used (default 300000 ms); needs "
            "--cache-dir."_s,
            u"ms"_s);
    const QCommandLineOption verbose(u"verbose"_s, u"Log protocol details to stderr."_s);
    const QCommandLineOption trace(
            u"trace"_s,
            u"Print the connection's trace records on stdout, one {\"type\": \"trace\", "
            "\"kind\": ...} line each. --trace=<kinds> prints only the kinds listed (comma-"
            "separated): %1."_s.arg(MusubiCli::traceKinds().join(u", "_s)));
    const QList<QCommandLineOption> options{url,      demo,      protocol,    param,
                                            topic,    heartbeat, pushTimeout, joinTimeout,
                                            cacheDir, cacheGc,   trace,       verbose};
    parser.addOptions(options);
    QStringList traceKinds;
    parser.process(takeTraceKinds(app.arguments(), options, &traceKinds));

    if (!parser.positionalArguments().isEmpty())
        usageError(u"unexpected argument \"%1\""_s.arg(parser.positionalArguments().constFirst()));

    if (!parser.isSet(verbose))
        QLoggingCategory::setFilterRules(u"musubi.*.debug=false\nmusubi.*.info=false"_s);

    if (parser.isSet(url) == parser.isSet(demo))
        usageError(u"give exactly one of --url and --demo"_s);

    MusubiConnection connection;
    const QString profile = parser.value(protocol);
    if (profile == "auto"_L1)
        connection.setProtocol(MusubiConnection::Protocol::Auto);
    else if (profile == "shared"_L1)
        connection.setProtocol(MusubiConnection::Protocol::SharedChannel);
    else if (profile == "per-root"_L1)
        connection.setProtocol(MusubiConnection::Protocol::PerRootChannel);
    else
        usageError(u"--protocol must be auto, shared or per-root"_s);

    QVariantMap params;
    const QStringList pairs = parser.values(param);
    for (const QString &pair : pairs) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0)
            usageError(u"--param needs KEY=VALUE, got \"%1\""_s.arg(pair));
        params.insert(pair.left(eq), pair.mid(eq + 1));
    }
    connection.setParams(params);
    if (parser.isSet(topic))
        connection.setBaseTopic(parser.value(topic));
    connection.setHeartbeatInterval(intOption(parser, heartbeat, connection.heartbeatInterval()));
    connection.setPushTimeout(intOption(parser, pushTimeout, connection.pushTimeout()));
    connection.setJoinTimeout(intOption(parser, joinTimeout, connection.joinTimeout()));

    const int gcTime = intOption(parser, cacheGc, connection.cache()->gcTime());
    if (parser.isSet(cacheDir)) {
        const QString directory = parser.value(cacheDir);
        if (directory.isEmpty())
            usageError(u"--cache-dir needs a directory"_s);
        const QFileInfo info(directory);
        if (info.exists() && !info.isDir())
            usageError(u"--cache-dir: \"%1\" is not a directory"_s.arg(directory));
        MusubiCache *cache = connection.cache();
        cache->setDirectory(QDir(directory).absolutePath()); // the disk persister there
        cache->setGcTime(gcTime);
        cache->setEnabled(true);
    } else if (parser.isSet(cacheGc)) {
        usageError(u"--cache-gc-ms needs --cache-dir"_s);
    }

#if defined(MUSUBI_CLI_HAVE_DEMO_STORES)
    std::unique_ptr<MusubiTestServer> server;
#endif
    if (parser.isSet(demo)) {
#if defined(MUSUBI_CLI_HAVE_DEMO_STORES)
        server = std::make_unique<MusubiTestServer>();
        registerDemoStores(server.get());
        if (!server->listen())
            usageError(u"the embedded demo server could not listen on 127.0.0.1"_s);
        std::fprintf(stderr, "musubi-cli: demo server on %s\n",
                     qUtf8Printable(server->url().toString()));
        connection.setUrl(server->url());
#else
        usageError(u"--demo needs the demo stores (musubi_demo_stores), which this build does "
                   "not include"_s);
#endif
    } else {
        const QUrl target = QUrl::fromUserInput(parser.value(url));
        if (!target.isValid() || (target.scheme() != "ws"_L1 && target.scheme() != "wss"_L1))
            usageError(u"--url must be a ws:// or wss:// URL"_s);
        connection.setUrl(target);
    }

    int exitCode = 0;
    MusubiCli cli(&connection);
    cli.setTraceKinds(traceKinds); // before open(): the first status edge is traced too
    QObject::connect(&cli, &MusubiCli::finished, &app,
                     [&exitCode] { QCoreApplication::exit(exitCode); });
    stopOnSignals(&cli, &exitCode);
    connection.open();
    cli.start();
    // Returning destroys the cli (its roots) and then the connection, which flushes the cache
    // again; never leave through exit() from here on.
    return app.exec();
}

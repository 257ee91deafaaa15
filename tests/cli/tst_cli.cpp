// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-cli driven as a process: JSON Lines in, JSON Lines out, against an
// in-process MusubiTestServer on a loopback WebSocket.

#include <musubitestserver.h>
#include <musubiteststore.h>

#include <QtCore/QDir>
#include <QtCore/QDirIterator>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QProcess>
#include <QtCore/QTemporaryDir>
#include <QtTest/QSignalSpy>
#include <QtTest/QTest>

#include <algorithm>
#include <functional>
#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString Counter = u"Test.CounterStore"_s;
const QString Key = u"Test.CounterStore:c1"_s;
const QString Plain = u"Test.PlainStore"_s; // one store, no streams
const QString PlainKey = u"Test.PlainStore:p1"_s;

/*
    One musubi-cli process. Every stdout line must be a JSON object with a
    string "type"; anything else is recorded in badLines.
*/
class Cli : public QObject
{
    Q_OBJECT
public:
    explicit Cli(const QStringList &arguments,
                 const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment())
    {
        m_process.setProgram(QStringLiteral(MUSUBI_CLI_PATH));
        m_process.setArguments(arguments);
        m_process.setProcessEnvironment(environment);
        connect(&m_process, &QProcess::readyReadStandardOutput, this, &Cli::readOutput);
        m_process.start();
    }
    ~Cli() override
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(5000);
        }
    }

    void send(const QJsonObject &request)
    {
        sendRaw(QJsonDocument(request).toJson(QJsonDocument::Compact));
    }
    void sendRaw(const QByteArray &line) { m_process.write(line + '\n'); }
    void closeInput() { m_process.closeWriteChannel(); }
    void terminate() { m_process.terminate(); }

    //! Index of the first line at or after \a from matching \a predicate, waiting up to
    //! \a timeout ms (10 s); -1 if none.
    int waitFor(const std::function<bool(const QJsonObject &)> &predicate, int from = 0,
                int timeout = 10000)
    {
        int found = -1;
        (void)QTest::qWaitFor(
                [&] {
                    for (int i = from; i < lines.size(); ++i) {
                        if (predicate(lines.at(i))) {
                            found = i;
                            return true;
                        }
                    }
                    return m_process.state() == QProcess::NotRunning && !m_process.bytesAvailable();
                },
                timeout);
        return found;
    }
    int waitForType(const QString &type, int from = 0, int timeout = 10000)
    {
        return waitFor([&](const QJsonObject &o) { return o.value(u"type"_s) == type; }, from,
                       timeout);
    }
    int waitForTag(const QJsonValue &tag, int from = 0, int timeout = 10000)
    {
        return waitFor([&](const QJsonObject &o) { return o.value(u"tag"_s) == tag; }, from,
                       timeout);
    }
    int count(const QString &type) const
    {
        return int(std::count_if(lines.cbegin(), lines.cend(),
                                 [&](const QJsonObject &o) { return o.value(u"type"_s) == type; }));
    }
    bool waitForExit(int *code)
    {
        // Keep the event loop running: the server the process talks to lives here.
        if (!QTest::qWaitFor([this] { return m_process.state() == QProcess::NotRunning; }, 10000))
            return false;
        readOutput();
        *code = m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
        return true;
    }
    QByteArray standardError() { return m_process.readAllStandardError(); }

    QList<QJsonObject> lines;
    QList<QByteArray> badLines;

private:
    void readOutput()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype newline;
        while ((newline = m_buffer.indexOf('\n')) >= 0) {
            const QByteArray line = m_buffer.left(newline);
            m_buffer.remove(0, newline + 1);
            QJsonParseError error;
            const QJsonDocument document = QJsonDocument::fromJson(line, &error);
            if (error.error != QJsonParseError::NoError || !document.isObject()
                || !document.object().value(u"type"_s).isString())
                badLines.append(line);
            else
                lines.append(document.object());
        }
    }

    QProcess m_process;
    QByteArray m_buffer;
};

QJsonObject mountRequest(const QJsonValue &tag, const QString &id = u"c1"_s,
                         const QString &module = Counter)
{
    return {{u"op"_s, u"mount"_s},
            {u"module"_s, module},
            {u"instance_id"_s, id},
            {u"params"_s, QJsonObject()},
            {u"tag"_s, tag}};
}

QJsonObject snapshotRequest(const QJsonValue &tag)
{
    return {{u"op"_s, u"snapshot"_s}, {u"root"_s, Key}, {u"tag"_s, tag}};
}

// The cache entry files under \a directory (one per key).
QStringList cacheFiles(const QString &directory)
{
    QStringList files;
    QDirIterator it(directory, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(it.next());
    return files;
}

// The "data" (wire tree) of the one cache entry in \a directory.
QJsonObject cachedTree(const QString &directory)
{
    const QStringList files = cacheFiles(directory);
    if (files.size() != 1)
        return {};
    QFile file(files.constFirst());
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object().value(u"data"_s).toObject();
}

QJsonObject commandRequest(const QJsonValue &tag, const QString &name,
                           const QJsonObject &payload = {}, const QJsonArray &storeId = {})
{
    return {{u"op"_s, u"command"_s}, {u"root"_s, Key},        {u"store_id"_s, storeId},
            {u"name"_s, name},       {u"payload"_s, payload}, {u"tag"_s, tag}};
}

bool isNonNegativeInteger(const QJsonValue &value)
{
    return value.isDouble() && value.toDouble() >= 0
            && value.toDouble() == double(value.toInteger(-1));
}

/*
    Checks the volatile fields of a trace line and takes them out, so that the rest can be
    compared exactly: "at" on every record, "bytes" (> 0) on an envelope, "apply_us" on an
    accepted envelope, "latency_us" on a command that was sent (and on no other), "age_ms"
    on a cache hit. Returns what is wrong, or an empty string.
*/
QString takeVolatile(QJsonObject *line)
{
    const QString text = QString::fromUtf8(QJsonDocument(*line).toJson(QJsonDocument::Compact));
    if (!isNonNegativeInteger(line->take(u"at"_s)))
        return u"no \"at\": "_s + text;
    const QString kind = line->value(u"kind"_s).toString();
    if (kind == "envelope"_L1) {
        const QJsonValue bytes = line->take(u"bytes"_s);
        if (!isNonNegativeInteger(bytes) || bytes.toInteger() == 0)
            return u"no \"bytes\" > 0: "_s + text;
        const QJsonValue applyUs = line->take(u"apply_us"_s);
        if (line->value(u"accepted"_s).toBool() ? !isNonNegativeInteger(applyUs)
                                                : !applyUs.isUndefined())
            return u"\"apply_us\" wrong: "_s + text;
    } else if (kind == "command"_L1) {
        const QJsonValue latencyUs = line->take(u"latency_us"_s);
        if (line->value(u"sent"_s).toBool() ? !isNonNegativeInteger(latencyUs)
                                            : !latencyUs.isUndefined())
            return u"\"latency_us\" wrong: "_s + text;
    } else if (kind == "cache"_L1 && line->value(u"result"_s) == "hit"_L1) {
        if (!isNonNegativeInteger(line->take(u"age_ms"_s)))
            return u"no \"age_ms\" on a hit: "_s + text;
    }
    return {};
}

// The lines of \a cli with the volatile trace fields checked and taken out.
QList<QJsonObject> stableLines(const Cli &cli)
{
    QList<QJsonObject> out;
    for (QJsonObject line : cli.lines) {
        if (line.value(u"type"_s) == "trace"_L1) {
            const QString problem = takeVolatile(&line);
            if (!problem.isEmpty())
                line = QJsonObject{{u"type"_s, u"bad trace line"_s}, {u"problem"_s, problem}};
        }
        out.append(line);
    }
    return out;
}

QList<QJsonObject> withoutType(QList<QJsonObject> lines, const QString &type)
{
    lines.removeIf([&](const QJsonObject &line) { return line.value(u"type"_s) == type; });
    return lines;
}

// One JSON object per non-empty line of \a text.
QList<QJsonObject> jsonLines(const QString &text)
{
    QList<QJsonObject> out;
    const QStringList lines = text.split(u'\n', Qt::SkipEmptyParts);
    for (const QString &line : lines) {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(line.toUtf8(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            qWarning().noquote() << "not a JSON object:" << line;
            return {};
        }
        out.append(document.object());
    }
    return out;
}

QByteArray dump(const QList<QJsonObject> &lines)
{
    QByteArray out;
    for (const QJsonObject &line : lines)
        out += QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n';
    return out;
}

} // namespace

class tst_Cli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();

    void usageErrors_data();
    void usageErrors();
    void session_data();
    void session();
    void commandFailures();
    void notConnectedAndDisconnected();
    void eventAfterChanged();
    void invalidRequestsGoOn();
    void refusedMount();
    void reconnectLines();
    void pipedScriptAndEndOfInput();
    void demo();
    void helpMentionsCache();
    void cacheOfflineStart_data();
    void cacheOfflineStart();
    void cacheRevalidatedUnchanged();
    void cacheQuitWhileOffline();
    void cacheRefusedAfterHit();
    void cacheFlushOnSignal();
    void cacheOff();
    void helpMentionsTrace();
    void trace_data();
    void trace();
    void traceKinds_data();
    void traceKinds();
    void traceCache();
    void noTraceWithoutOption();

private:
    std::unique_ptr<Cli> startCli(const QStringList &extra = {});
    bool mountC1(Cli &cli);
    void runTraceScript(Cli &cli);
    void fillCache(const QString &directory, const QString &protocol);

    std::unique_ptr<MusubiTestServer> m_server;
};

void tst_Cli::init()
{
    m_server = std::make_unique<MusubiTestServer>();
    m_server->registerRoot(Counter, [](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"count"_s, 0}});
        auto *panel = store->addChild({u"panel"_s}, new MusubiTestStore);
        panel->setRenderer([panel](const MusubiTestStore *) {
            return QJsonObject{{u"log"_s, panel->streamSlot(u"a"_s)}};
        });
        panel->streamInsert(u"a"_s, u"p1"_s, QJsonObject{{u"v"_s, 1}});
        store->setRenderer([store](const MusubiTestStore *s) {
            QJsonObject out = s->state();
            out.insert(u"panel"_s, s->childSlot({u"panel"_s}));
            out.insert(u"b"_s, store->streamSlot(u"b"_s));
            out.insert(u"a"_s, store->streamSlot(u"a"_s));
            return out;
        });
        store->streamInsert(u"b"_s, u"k1"_s, QJsonObject{{u"n"_s, 1}});
        store->streamInsert(u"a"_s, u"k2"_s, QJsonObject{{u"n"_s, 2}});
        store->onCommand(u"increment"_s, [store](const QJsonObject &) {
            store->setValue(u"count"_s, store->value(u"count"_s).toInt() + 1);
            return MusubiTestReply::noReply();
        });
        store->onCommand(u"fail"_s, [](const QJsonObject &payload) {
            return MusubiTestReply::errorResponse(payload);
        });
        store->onCommand(u"notify"_s, [store](const QJsonObject &) {
            store->setValue(u"count"_s, store->value(u"count"_s).toInt() + 1);
            store->pushEvent(u"toast"_s, QJsonObject{{u"msg"_s, u"hi"_s}});
            return MusubiTestReply::noReply();
        });
        return store;
    });
    m_server->registerRoot(Plain, [](const MusubiTestMount &, QString *) {
        auto *store = new MusubiTestStore;
        store->setState({{u"n"_s, 1}});
        return store;
    });
    QVERIFY(m_server->listen());
}

void tst_Cli::cleanup()
{
    m_server.reset();
}

std::unique_ptr<Cli> tst_Cli::startCli(const QStringList &extra)
{
    return std::make_unique<Cli>(QStringList{u"--url"_s, m_server->url().toString()} + extra);
}

bool tst_Cli::mountC1(Cli &cli)
{
    cli.send(mountRequest(u"m"_s));
    const int at = cli.waitForTag(u"m"_s);
    return at >= 0 && cli.lines.at(at).value(u"type"_s) == "mounted"_L1;
}

void tst_Cli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("message");
    const QString url = u"ws://127.0.0.1:1/socket"_s;
    const QString dir = QDir::tempPath();
    QTest::newRow("nothing") << QStringList() << "give exactly one of --url and --demo"_ba;
    QTest::newRow("bad url") << QStringList{u"--url"_s, u"http://x/socket"_s}
                             << "--url must be a ws:// or wss:// URL"_ba;
    QTest::newRow("bad protocol") << QStringList{u"--url"_s, url, u"--protocol"_s,
                                                 u"carrier-pigeon"_s}
                                  << "--protocol must be auto, shared or per-root"_ba;
    QTest::newRow("bad param") << QStringList{u"--url"_s, url, u"--param"_s, u"novalue"_s}
                               << "--param needs KEY=VALUE"_ba;
    QTest::newRow("bad timeout") << QStringList{u"--url"_s, url, u"--push-timeout-ms"_s, u"soon"_s}
                                 << "--push-timeout-ms needs a non-negative integer"_ba;
    QTest::newRow("url and demo") << QStringList{u"--url"_s, url, u"--demo"_s}
                                  << "give exactly one of --url and --demo"_ba;
    QTest::newRow("cache gc not a number")
            << QStringList{u"--url"_s, url, u"--cache-dir"_s, dir, u"--cache-gc-ms"_s, u"abc"_s}
            << "--cache-gc-ms needs a non-negative integer"_ba;
    QTest::newRow("cache gc negative")
            << QStringList{u"--url"_s, url, u"--cache-dir"_s, dir, u"--cache-gc-ms=-5"_s}
            << "--cache-gc-ms needs a non-negative integer"_ba;
    QTest::newRow("cache gc without dir")
            << QStringList{u"--url"_s, url, u"--cache-gc-ms"_s, u"1000"_s}
            << "--cache-gc-ms needs --cache-dir"_ba;
    QTest::newRow("cache dir empty") << QStringList{u"--url"_s, url, u"--cache-dir="_s}
                                     << "--cache-dir needs a directory"_ba;
    QTest::newRow("trace unknown kind") << QStringList{u"--url"_s, url, u"--trace=bogus"_s}
                                        << "--trace: unknown kind \"bogus\" (kinds: status, "
                                           "phase, envelope, command, event, cache)"_ba;
    QTest::newRow("trace unknown kind in a list")
            << QStringList{u"--url"_s, url, u"--trace=command,Event"_s}
            << "--trace: unknown kind \"Event\""_ba;
    QTest::newRow("trace empty kind") << QStringList{u"--url"_s, url, u"--trace=command,"_s}
                                      << "--trace: unknown kind \"\""_ba;
    QTest::newRow("trace no kinds")
            << QStringList{u"--url"_s, url, u"--trace="_s} << "--trace: unknown kind \"\""_ba;
    QTest::newRow("trace kinds not joined by =")
            << QStringList{u"--url"_s, url, u"--trace"_s, u"command"_s}
            << "unexpected argument \"command\""_ba;
    QTest::newRow("cache dir is a file")
            << QStringList{u"--url"_s, url, u"--cache-dir"_s, QStringLiteral(MUSUBI_CLI_PATH)}
            << "is not a directory"_ba;
}

void tst_Cli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, message);
    Cli cli(arguments);
    int code = 0;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 2);
    QVERIFY(cli.lines.isEmpty());
    QVERIFY(cli.badLines.isEmpty());
    const QByteArray error = cli.standardError();
    QVERIFY2(error.startsWith("musubi-cli: "), error.constData());
    QVERIFY2(error.contains(message), error.constData());
}

void tst_Cli::session_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("expectedTopic");
    QTest::newRow("shared") << u"shared"_s << u"musubi:connection"_s;
    QTest::newRow("per-root") << u"per-root"_s << u"musubi:connection:Test.CounterStore:c1"_s;
    QTest::newRow("auto") << u"auto"_s << u"musubi:connection"_s;
}

void tst_Cli::session()
{
    QFETCH(QString, protocol);
    QFETCH(QString, expectedTopic);
    auto cli = startCli({u"--protocol"_s, protocol, u"--param"_s, u"token=abc"_s});
    QSignalSpy connected(m_server.get(), &MusubiTestServer::clientConnected);

    cli->send(mountRequest(1));
    const int mounted = cli->waitForTag(1);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli->lines.at(mounted),
             QJsonObject({{u"type"_s, u"mounted"_s},
                          {u"tag"_s, 1},
                          {u"root"_s, Key},
                          {u"version"_s, 1},
                          {u"from_cache"_s, false}}));
    QCOMPARE(cli->lines.at(0),
             QJsonObject({{u"type"_s, u"status"_s}, {u"status"_s, u"connecting"_s}}));
    QVERIFY(cli->waitFor([](const QJsonObject &o) {
        return o.value(u"status"_s) == "connected"_L1;
    }) > 0);
    QVERIFY(cli->waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "root_status"_L1 && o.value(u"status"_s) == "live"_L1;
    }) >= 0);
    QVERIFY(m_server->joinedTopics().contains(expectedTopic));
    QCOMPARE(connected.at(0).at(1).toMap().value(u"token"_s).toString(), u"abc"_s);
    // The initial envelope lists every store it brings (sorted by JSON text), before "mounted".
    const int initial = cli->waitForType(u"changed"_s);
    QVERIFY(initial >= 0 && initial < mounted);
    QCOMPARE(cli->lines.at(initial),
             QJsonObject({{u"type"_s, u"changed"_s},
                          {u"root"_s, Key},
                          {u"version"_s, 1},
                          {u"stores"_s, QJsonArray{QJsonArray{u"panel"_s}, QJsonArray()}}}));

    cli->send(commandRequest(2, u"increment"_s));
    const int reply = cli->waitForTag(2);
    QVERIFY(reply >= 0);
    QCOMPARE(cli->lines.at(reply),
             QJsonObject({{u"type"_s, u"reply"_s},
                          {u"tag"_s, 2},
                          {u"ok"_s, true},
                          {u"reply"_s, QJsonObject()}}));
    const int changed = cli->waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "changed"_L1 && o.value(u"version"_s).toInt() == 2;
    });
    QVERIFY(changed >= 0);
    QVERIFY2(reply < changed, "the reply line follows the wire: before its patch");
    QCOMPARE(cli->lines.at(changed),
             QJsonObject({{u"type"_s, u"changed"_s},
                          {u"root"_s, Key},
                          {u"version"_s, 2},
                          {u"stores"_s, QJsonArray{QJsonArray()}}}));

    cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, Key}, {u"tag"_s, u"s"_s}});
    const int snap = cli->waitForTag(u"s"_s);
    QVERIFY(snap >= 0);
    const QJsonObject snapshot = cli->lines.at(snap);
    QCOMPARE(snapshot.value(u"type"_s).toString(), u"snapshot"_s);
    QCOMPARE(snapshot.value(u"root"_s).toString(), Key);
    QCOMPARE(snapshot.value(u"version"_s).toInt(), 2);
    QCOMPARE(snapshot.value(u"status"_s).toString(), u"live"_s);
    QCOMPARE(snapshot.value(u"from_cache"_s), QJsonValue(false));
    QCOMPARE(snapshot.value(u"fetching"_s), QJsonValue(false));
    QCOMPARE(snapshot.value(u"tree"_s).toObject(), m_server->wireTree(Key));
    QCOMPARE(snapshot.value(u"state"_s).toObject().value(u"count"_s).toInt(), 1);
    const QJsonArray resolvedB{QJsonObject{{u"n"_s, 1}}};
    QCOMPARE(snapshot.value(u"state"_s).toObject().value(u"b"_s).toArray(), resolvedB);
    QCOMPARE(snapshot.value(u"uploads"_s).toArray(), QJsonArray());
    // Sorted by (store_id JSON text, name): ["panel"] < [] because '"' < ']'.
    const QJsonArray streams = snapshot.value(u"streams"_s).toArray();
    QCOMPARE(streams.size(), 3);
    QCOMPARE(streams.at(0).toObject(),
             QJsonObject({{u"store_id"_s, QJsonArray{u"panel"_s}},
                          {u"name"_s, u"a"_s},
                          {u"keys"_s, QJsonArray{u"p1"_s}},
                          {u"items"_s, QJsonArray{QJsonObject{{u"v"_s, 1}}}}}));
    QCOMPARE(streams.at(1).toObject().value(u"name"_s).toString(), u"a"_s);
    QCOMPARE(streams.at(1).toObject().value(u"store_id"_s).toArray(), QJsonArray());
    QCOMPARE(streams.at(1).toObject().value(u"keys"_s).toArray(), QJsonArray{u"k2"_s});
    QCOMPARE(streams.at(2).toObject().value(u"name"_s).toString(), u"b"_s);

    QSignalSpy unmounted(m_server.get(), &MusubiTestServer::rootUnmounted);
    cli->send({{u"op"_s, u"unmount"_s}, {u"root"_s, Key}, {u"tag"_s, 3}});
    const int gone = cli->waitForTag(3);
    QVERIFY(gone >= 0);
    QCOMPARE(cli->lines.at(gone),
             QJsonObject({{u"type"_s, u"unmounted"_s}, {u"tag"_s, 3}, {u"root"_s, Key}}));
    QTRY_COMPARE(unmounted.count(), 1);

    cli->send({{u"op"_s, u"quit"_s}});
    int code = -1;
    QVERIFY(cli->waitForExit(&code));
    QCOMPARE(code, 0);
    QCOMPARE(cli->lines.last(),
             QJsonObject({{u"type"_s, u"status"_s}, {u"status"_s, u"closed"_s}}));
    QVERIFY2(cli->badLines.isEmpty(), cli->badLines.value(0).constData());
}

void tst_Cli::commandFailures()
{
    auto cli = startCli({u"--push-timeout-ms"_s, u"300"_s});
    QVERIFY(mountC1(*cli));

    cli->send(commandRequest(1, u"nope"_s));
    int at = cli->waitForTag(1);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at),
             QJsonObject({{u"type"_s, u"reply"_s},
                          {u"tag"_s, 1},
                          {u"ok"_s, false},
                          {u"kind"_s, u"failed"_s},
                          {u"code"_s, u"unknown command"_s},
                          {u"reply"_s, QJsonObject{{u"reason"_s, u"unknown command"_s}}},
                          {u"message"_s, u"Command \"nope\" failed: unknown command"_s}}));

    const QJsonObject body{{u"code"_s, QJsonValue::Null}, {u"error"_s, u"x"_s}};
    cli->send(commandRequest(2, u"fail"_s, body));
    at = cli->waitForTag(2);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at).value(u"code"_s).toString(), u"x"_s);
    QCOMPARE(cli->lines.at(at).value(u"reply"_s).toObject(), body);

    cli->send(commandRequest(3, u"fail"_s, {{u"detail"_s, 1}}));
    at = cli->waitForTag(3);
    QVERIFY(at >= 0);
    QVERIFY(cli->lines.at(at).value(u"code"_s).isNull());

    cli->send(commandRequest(4, u"increment"_s, {}, {u"ghost"_s}));
    at = cli->waitForTag(4);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at).value(u"code"_s).toString(), u"unknown store"_s);

    m_server->withholdNextReply(u"command"_s);
    cli->send(commandRequest(5, u"increment"_s));
    at = cli->waitForTag(5);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at),
             QJsonObject({{u"type"_s, u"reply"_s},
                          {u"tag"_s, 5},
                          {u"ok"_s, false},
                          {u"kind"_s, u"timeout"_s},
                          {u"code"_s, QJsonValue::Null},
                          {u"reply"_s, QJsonValue::Null},
                          {u"message"_s, u"Command \"increment\" timed out"_s}}));
    QVERIFY(cli->badLines.isEmpty());
}

void tst_Cli::notConnectedAndDisconnected()
{
    auto cli = startCli();
    QVERIFY(mountC1(*cli));
    QSignalSpy received(m_server.get(), &MusubiTestServer::commandReceived);
    m_server->withholdNextReply(u"command"_s);
    cli->send(commandRequest(1, u"increment"_s));
    QVERIFY(received.wait());
    m_server->close(); // drops the socket and stays away
    int at = cli->waitForTag(1);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at).value(u"kind"_s).toString(), u"disconnected"_s);
    QVERIFY(cli->waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "root_status"_L1 && o.value(u"status"_s) == "reconnecting"_L1;
    }) >= 0);
    cli->send(commandRequest(2, u"increment"_s));
    at = cli->waitForTag(2);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at).value(u"kind"_s).toString(), u"not_connected"_s);
    // A snapshot still shows the last good state.
    cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, Key}, {u"tag"_s, 3}});
    at = cli->waitForTag(3);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at).value(u"status"_s).toString(), u"reconnecting"_s);
    QCOMPARE(cli->lines.at(at).value(u"version"_s).toInt(), 0);
    // The withheld command still ran on the server before the drop.
    QCOMPARE(cli->lines.at(at).value(u"state"_s).toObject().value(u"count"_s).toInt(), 1);
}

void tst_Cli::eventAfterChanged()
{
    auto cli = startCli({u"--protocol"_s, u"per-root"_s});
    QVERIFY(mountC1(*cli));
    cli->send(commandRequest(1, u"notify"_s));
    const int event = cli->waitForType(u"event"_s);
    QVERIFY(event >= 0);
    QCOMPARE(cli->lines.at(event),
             QJsonObject({{u"type"_s, u"event"_s},
                          {u"root"_s, Key},
                          {u"store_id"_s, QJsonArray()},
                          {u"name"_s, u"toast"_s},
                          {u"payload"_s, QJsonObject{{u"msg"_s, u"hi"_s}}}}));
    const QJsonObject before = cli->lines.at(event - 1);
    QCOMPARE(before.value(u"type"_s).toString(), u"changed"_s);
    QCOMPARE(before.value(u"version"_s).toInt(), 2);
}

void tst_Cli::invalidRequestsGoOn()
{
    auto cli = startCli();
    cli->sendRaw("this is not json");
    cli->sendRaw("[1,2]");
    cli->send({{u"op"_s, u"fly"_s}, {u"tag"_s, u"t1"_s}});
    cli->send({{u"op"_s, u"command"_s},
               {u"root"_s, u"X:y"_s},
               {u"name"_s, u"a"_s},
               {u"tag"_s, u"t2"_s}});
    cli->send({{u"op"_s, u"snapshot"_s}, {u"root"_s, u"X:y"_s}, {u"tag"_s, u"t3"_s}});
    cli->send({{u"op"_s, u"unmount"_s}, {u"root"_s, u"X:y"_s}, {u"tag"_s, u"t4"_s}});
    cli->send({{u"op"_s, u"mount"_s}, {u"module"_s, Counter}, {u"tag"_s, u"t5"_s}});
    QVERIFY(mountC1(*cli));
    QList<QJsonObject> errors;
    for (const QJsonObject &line : std::as_const(cli->lines)) {
        if (line.value(u"type"_s) == "error"_L1)
            errors.append(line);
    }
    QCOMPARE(errors.size(), 7);
    QVERIFY(errors.at(0).value(u"tag"_s).isNull());
    QVERIFY(errors.at(0).value(u"message"_s).toString().startsWith(u"invalid JSON"_s));
    QVERIFY(errors.at(1).value(u"tag"_s).isNull());
    QCOMPARE(errors.at(2).value(u"tag"_s).toString(), u"t1"_s);
    QCOMPARE(errors.at(2).value(u"message"_s).toString(), u"unknown op: fly"_s);
    for (int i = 3; i < 6; ++i)
        QCOMPARE(errors.at(i).value(u"message"_s).toString(), u"unknown root: X:y"_s);
    QCOMPARE(errors.at(6).value(u"tag"_s).toString(), u"t5"_s);
    QCOMPARE(errors.at(6).value(u"op"_s).toString(), u"mount"_s);
    QVERIFY(errors.at(6).value(u"message"_s).toString().contains(u"\"instance_id\""_s));
    QVERIFY(cli->badLines.isEmpty());
}

void tst_Cli::refusedMount()
{
    auto cli = startCli({u"--protocol"_s, u"per-root"_s});
    cli->send(mountRequest(u"r"_s, u"x"_s, u"Nope.Store"_s));
    const int at = cli->waitForTag(u"r"_s);
    QVERIFY(at >= 0);
    QCOMPARE(cli->lines.at(at),
             QJsonObject({{u"type"_s, u"error"_s},
                          {u"tag"_s, u"r"_s},
                          {u"op"_s, u"mount"_s},
                          {u"message"_s, u"Root mount failed: unknown root"_s},
                          {u"reply"_s, QJsonObject{{u"reason"_s, u"unknown root"_s}}}}));
    // The failed root is gone; mounting something else works.
    QVERIFY(mountC1(*cli));
}

void tst_Cli::reconnectLines()
{
    auto cli = startCli();
    QVERIFY(mountC1(*cli));
    const int from = cli->lines.size();
    m_server->dropConnections();
    const int reconnecting = cli->waitFor(
            [](const QJsonObject &o) { return o.value(u"status"_s) == "reconnecting"_L1; }, from);
    QVERIFY(reconnecting >= 0);
    const int live = cli->waitFor(
            [](const QJsonObject &o) {
                return o.value(u"type"_s) == "root_status"_L1 && o.value(u"status"_s) == "live"_L1;
            },
            reconnecting);
    QVERIFY(live >= 0);
    QStringList seen;
    for (int i = from; i <= live; ++i)
        seen << cli->lines.at(i).value(u"type"_s).toString() + u':'
                        + cli->lines.at(i).value(u"status"_s).toString();
    QVERIFY2(seen.contains(u"status:reconnecting"_s), qPrintable(seen.join(u' ')));
    QVERIFY2(seen.contains(u"root_status:reconnecting"_s), qPrintable(seen.join(u' ')));
    QVERIFY2(seen.contains(u"status:connected"_s), qPrintable(seen.join(u' ')));
}

void tst_Cli::pipedScriptAndEndOfInput()
{
    auto cli = startCli();
    // All at once, as a shell pipe would: the mount holds the rest until it is done.
    cli->send(mountRequest(1));
    cli->send(commandRequest(2, u"increment"_s));
    cli->send(commandRequest(3, u"increment"_s));
    cli->closeInput();
    int code = -1;
    QVERIFY(cli->waitForExit(&code));
    QCOMPARE(code, 0);
    const int mounted = cli->waitForTag(1);
    const int first = cli->waitForTag(2);
    const int second = cli->waitForTag(3);
    QVERIFY(mounted >= 0 && first > mounted && second > mounted);
    QCOMPARE(cli->lines.at(mounted).value(u"type"_s).toString(), u"mounted"_s);
    QVERIFY(cli->lines.at(first).value(u"ok"_s).toBool());
    QVERIFY(cli->lines.at(second).value(u"ok"_s).toBool());
    QCOMPARE(cli->lines.last().value(u"status"_s).toString(), u"closed"_s);
    QVERIFY(cli->badLines.isEmpty());
}

void tst_Cli::demo()
{
    Cli cli({u"--demo"_s});
    cli.send({{u"op"_s, u"mount"_s},
              {u"module"_s, u"Demo.CounterStore"_s},
              {u"instance_id"_s, u"d"_s},
              {u"tag"_s, 1}});
    cli.send({{u"op"_s, u"command"_s},
              {u"root"_s, u"Demo.CounterStore:d"_s},
              {u"name"_s, u"increment"_s},
              {u"tag"_s, 2}});
    cli.closeInput();
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    if (code == 2) {
        // A build without the demo stores says so and exits as a usage error.
        QVERIFY(cli.standardError().contains("demo stores"));
        QVERIFY(cli.lines.isEmpty());
        return;
    }
    QCOMPARE(code, 0);
    const int mounted = cli.waitForTag(1);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli.lines.at(mounted).value(u"type"_s).toString(), u"mounted"_s);
    const int reply = cli.waitForTag(2);
    QVERIFY(reply >= 0);
    QVERIFY(cli.lines.at(reply).value(u"ok"_s).toBool());
    QVERIFY(cli.badLines.isEmpty());
}

void tst_Cli::helpMentionsCache()
{
    Cli cli({u"--help"_s});
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 0);
    const QByteArray help = cli.badLines.join('\n'); // not JSON: the help text
    QVERIFY2(help.contains("--cache-dir <dir>"), help.constData());
    QVERIFY2(help.contains("--cache-gc-ms <ms>"), help.constData());
}

// A first run that leaves the counter at 1 in the cache in \a directory.
void tst_Cli::fillCache(const QString &directory, const QString &protocol)
{
    auto cli = startCli({u"--protocol"_s, protocol, u"--cache-dir"_s, directory});
    cli->send(mountRequest(u"m"_s));
    const int mounted = cli->waitForTag(u"m"_s);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli->lines.at(mounted),
             QJsonObject({{u"type"_s, u"mounted"_s},
                          {u"tag"_s, u"m"_s},
                          {u"root"_s, Key},
                          {u"version"_s, 1},
                          {u"from_cache"_s, false}}));
    cli->send(commandRequest(u"i"_s, u"increment"_s));
    QVERIFY(cli->waitForTag(u"i"_s) >= 0);
    QVERIFY(cli->waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "changed"_L1 && o.value(u"version"_s).toInt() == 2;
    }) >= 0);
    cli->send({{u"op"_s, u"quit"_s}});
    int code = -1;
    QVERIFY(cli->waitForExit(&code));
    QCOMPARE(code, 0);
    QVERIFY2(cli->badLines.isEmpty(), cli->badLines.value(0).constData());
    // The clean exit wrote the last state (the write throttle may still have held it).
    QCOMPARE(cacheFiles(directory).size(), 1);
    QCOMPARE(cachedTree(directory).value(u"count"_s).toInt(), 1);
}

void tst_Cli::cacheOfflineStart_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::newRow("shared") << u"shared"_s;
    QTest::newRow("per-root") << u"per-root"_s;
}

void tst_Cli::cacheOfflineStart()
{
    QFETCH(QString, protocol);
    QTemporaryDir cacheDir;
    QVERIFY(cacheDir.isValid());
    fillCache(cacheDir.path(), protocol);
    if (QTest::currentTestFailed())
        return;

    // The server goes away; a second run starts from the cache.
    const int port = m_server->port();
    const QString url = m_server->url().toString();
    m_server->close();
    Cli cli({u"--url"_s, url, u"--protocol"_s, protocol, u"--cache-dir"_s, cacheDir.path()});
    cli.send(mountRequest(u"m"_s));
    const int mounted = cli.waitForTag(u"m"_s);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli.lines.at(mounted),
             QJsonObject({{u"type"_s, u"mounted"_s},
                          {u"tag"_s, u"m"_s},
                          {u"root"_s, Key},
                          {u"version"_s, 0},
                          {u"from_cache"_s, true}}));
    // The cached state is announced like an initial envelope, before "mounted".
    const int seeded = cli.waitForType(u"changed"_s);
    QVERIFY(seeded >= 0 && seeded < mounted);
    QCOMPARE(cli.lines.at(seeded),
             QJsonObject({{u"type"_s, u"changed"_s},
                          {u"root"_s, Key},
                          {u"version"_s, 0},
                          {u"stores"_s, QJsonArray{QJsonArray{u"panel"_s}, QJsonArray()}}}));
    for (int i = 0; i < mounted; ++i)
        QVERIFY(cli.lines.at(i).value(u"status"_s) != "connected"_L1);

    cli.send(snapshotRequest(u"s"_s));
    int at = cli.waitForTag(u"s"_s);
    QVERIFY(at >= 0);
    QJsonObject snapshot = cli.lines.at(at);
    QCOMPARE(snapshot.value(u"type"_s).toString(), u"snapshot"_s);
    QCOMPARE(snapshot.value(u"version"_s).toInt(), 0);
    QCOMPARE(snapshot.value(u"status"_s).toString(), u"connecting"_s);
    QCOMPARE(snapshot.value(u"from_cache"_s), QJsonValue(true));
    QCOMPARE(snapshot.value(u"fetching"_s), QJsonValue(true));
    QCOMPARE(snapshot.value(u"state"_s).toObject().value(u"count"_s).toInt(), 1);

    // The server is back on the same port: the live initial patch replaces the cached
    // state (a fresh server root: count 0). The socket's reconnect backoff reaches 5 s.
    const int before = cli.lines.size();
    QVERIFY(m_server->listen(port));
    const int revalidated = cli.waitForType(u"revalidated"_s, before, 30000);
    QVERIFY2(revalidated >= 0, qPrintable(QString::number(cli.lines.size())));
    QCOMPARE(cli.lines.at(revalidated),
             QJsonObject({{u"type"_s, u"revalidated"_s}, {u"root"_s, Key}, {u"version"_s, 1}}));
    // Wire order: the changed line of the live initial patch, then the root goes live, then
    // revalidated. The root store differs (count), the panel too: streams start empty from
    // the cache and the live patch fills them.
    const int live = cli.waitFor(
            [](const QJsonObject &o) {
                return o.value(u"type"_s) == "root_status"_L1 && o.value(u"status"_s) == "live"_L1;
            },
            before);
    QVERIFY(live >= 0 && live < revalidated);
    const int changed = cli.waitForType(u"changed"_s, before);
    QVERIFY(changed >= 0 && changed < live);
    QCOMPARE(cli.lines.at(changed),
             QJsonObject({{u"type"_s, u"changed"_s},
                          {u"root"_s, Key},
                          {u"version"_s, 1},
                          {u"stores"_s, QJsonArray{QJsonArray{u"panel"_s}, QJsonArray()}}}));
    QCOMPARE(cli.count(u"mounted"_s), 1); // no second answer when the live state arrives

    cli.send(snapshotRequest(u"s2"_s));
    at = cli.waitForTag(u"s2"_s);
    QVERIFY(at >= 0);
    snapshot = cli.lines.at(at);
    QVERIFY(snapshot.value(u"version"_s).toInt() >= 1);
    QCOMPARE(snapshot.value(u"status"_s).toString(), u"live"_s);
    QCOMPARE(snapshot.value(u"from_cache"_s), QJsonValue(false));
    QCOMPARE(snapshot.value(u"fetching"_s), QJsonValue(false));
    QCOMPARE(snapshot.value(u"state"_s).toObject().value(u"count"_s).toInt(), 0);
    QCOMPARE(snapshot.value(u"tree"_s).toObject(), m_server->wireTree(Key));

    cli.send({{u"op"_s, u"quit"_s}});
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 0);
    QCOMPARE(cli.count(u"mounted"_s), 1);
    QVERIFY2(cli.badLines.isEmpty(), cli.badLines.value(0).constData());
}

void tst_Cli::cacheRevalidatedUnchanged()
{
    QTemporaryDir cacheDir;
    QVERIFY(cacheDir.isValid());
    const QStringList arguments{u"--cache-dir"_s, cacheDir.path()};
    {
        auto cli = startCli(arguments);
        cli->send(mountRequest(1, u"p1"_s, Plain));
        QVERIFY(cli->waitForTag(1) >= 0);
        QCOMPARE(cli->lines.at(cli->waitForTag(1)).value(u"from_cache"_s), QJsonValue(false));
        cli->closeInput();
        int code = -1;
        QVERIFY(cli->waitForExit(&code));
        QCOMPARE(code, 0);
        QCOMPARE(cacheFiles(cacheDir.path()).size(), 1);
    }
    // The server still runs: the cached state at once, then a live initial patch that changes
    // nothing: its changed line lists no store, as for an identical rejoin.
    auto cli = startCli(arguments);
    cli->send(mountRequest(1, u"p1"_s, Plain));
    const int mounted = cli->waitForTag(1);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli->lines.at(mounted),
             QJsonObject({{u"type"_s, u"mounted"_s},
                          {u"tag"_s, 1},
                          {u"root"_s, PlainKey},
                          {u"version"_s, 0},
                          {u"from_cache"_s, true}}));
    const int revalidated = cli->waitForType(u"revalidated"_s, mounted);
    QVERIFY(revalidated >= 0);
    QList<QJsonObject> changed;
    for (const QJsonObject &line : std::as_const(cli->lines)) {
        if (line.value(u"type"_s) == "changed"_L1)
            changed.append(line);
    }
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0),
             QJsonObject({{u"type"_s, u"changed"_s},
                          {u"root"_s, PlainKey},
                          {u"version"_s, 0},
                          {u"stores"_s, QJsonArray{QJsonArray()}}}));
    QCOMPARE(changed.at(1),
             QJsonObject({{u"type"_s, u"changed"_s},
                          {u"root"_s, PlainKey},
                          {u"version"_s, 1},
                          {u"stores"_s, QJsonArray()}}));
    QCOMPARE(
            cli->lines.at(revalidated),
            QJsonObject({{u"type"_s, u"revalidated"_s}, {u"root"_s, PlainKey}, {u"version"_s, 1}}));
    QCOMPARE(cli->count(u"mounted"_s), 1);
    cli->closeInput();
    int code = -1;
    QVERIFY(cli->waitForExit(&code));
    QCOMPARE(code, 0);
    QVERIFY2(cli->badLines.isEmpty(), cli->badLines.value(0).constData());
}

void tst_Cli::cacheQuitWhileOffline()
{
    QTemporaryDir cacheDir;
    QVERIFY(cacheDir.isValid());
    fillCache(cacheDir.path(), u"shared"_s);
    if (QTest::currentTestFailed())
        return;
    const QString url = m_server->url().toString();
    m_server->close();

    // A piped script: the command waits for the live state, which never comes; the end of
    // input waits for its reply, which the push timeout bounds (never sent).
    Cli cli({u"--url"_s, url, u"--cache-dir"_s, cacheDir.path(), u"--push-timeout-ms"_s, u"300"_s});
    cli.send(mountRequest(1));
    cli.send(commandRequest(2, u"increment"_s));
    cli.closeInput();
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 0);
    const int mounted = cli.waitForTag(1);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli.lines.at(mounted).value(u"from_cache"_s), QJsonValue(true));
    const int reply = cli.waitForTag(2);
    QVERIFY(reply > mounted);
    QCOMPARE(cli.lines.at(reply).value(u"ok"_s), QJsonValue(false));
    QCOMPARE(cli.lines.at(reply).value(u"kind"_s).toString(), u"timeout"_s);
    QVERIFY(cli.lines.at(reply).value(u"message"_s).toString().contains(u"not sent"_s));
    QCOMPARE(cli.lines.last().value(u"status"_s).toString(), u"closed"_s);
    QVERIFY2(cli.badLines.isEmpty(), cli.badLines.value(0).constData());
    // The entry is still there for the next run.
    QCOMPARE(cachedTree(cacheDir.path()).value(u"count"_s).toInt(), 1);
}

void tst_Cli::cacheRefusedAfterHit()
{
    QTemporaryDir cacheDir;
    QVERIFY(cacheDir.isValid());
    fillCache(cacheDir.path(), u"per-root"_s);
    if (QTest::currentTestFailed())
        return;
    const int port = m_server->port();
    const QString url = m_server->url().toString();
    m_server->close();

    // The cache answers the mount and a command waits for the live state; the server then
    // comes back without that root and refuses the mount: the command answers mount_failed,
    // an error line answers the mount's tag once more, and the root is gone.
    Cli cli({u"--url"_s, url, u"--protocol"_s, u"per-root"_s, u"--cache-dir"_s, cacheDir.path()});
    cli.send(mountRequest(u"m"_s));
    cli.send(commandRequest(u"c"_s, u"increment"_s));
    cli.send(snapshotRequest(u"s"_s)); // answered once the command is queued
    const int snap = cli.waitForTag(u"s"_s);
    QVERIFY(snap >= 0);
    QCOMPARE(cli.lines.at(snap).value(u"from_cache"_s), QJsonValue(true));
    const int mounted = cli.waitForTag(u"m"_s);
    QVERIFY(mounted >= 0 && mounted < snap);
    QCOMPARE(cli.lines.at(mounted).value(u"type"_s).toString(), u"mounted"_s);
    QCOMPARE(cli.lines.at(mounted).value(u"from_cache"_s), QJsonValue(true));

    m_server->unregisterRoot(Counter);
    QVERIFY(m_server->listen(port));
    const int refused = cli.waitForTag(u"m"_s, mounted + 1, 30000);
    QVERIFY(refused > mounted);
    QCOMPARE(cli.lines.at(refused),
             QJsonObject({{u"type"_s, u"error"_s},
                          {u"tag"_s, u"m"_s},
                          {u"op"_s, u"mount"_s},
                          {u"message"_s, u"Root mount failed: unknown root"_s},
                          {u"reply"_s, QJsonObject{{u"reason"_s, u"unknown root"_s}}}}));
    const int failed = cli.waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "root_status"_L1 && o.value(u"status"_s) == "failed"_L1;
    });
    QVERIFY(failed > snap && failed < refused);
    const int reply = cli.waitForTag(u"c"_s);
    QVERIFY(reply > snap);
    QCOMPARE(cli.lines.at(reply).value(u"ok"_s), QJsonValue(false));
    QCOMPARE(cli.lines.at(reply).value(u"kind"_s).toString(), u"mount_failed"_s);
    cli.send(snapshotRequest(u"s2"_s));
    const int at = cli.waitForTag(u"s2"_s);
    QVERIFY(at >= 0);
    QCOMPARE(cli.lines.at(at).value(u"message"_s).toString(), u"unknown root: "_s + Key);
    QCOMPARE(cli.count(u"mounted"_s), 1);
    QCOMPARE(cli.count(u"revalidated"_s), 0);
    QVERIFY2(cli.badLines.isEmpty(), cli.badLines.value(0).constData());
}

void tst_Cli::cacheFlushOnSignal()
{
    QTemporaryDir cacheDir;
    QVERIFY(cacheDir.isValid());
    auto cli = startCli({u"--cache-dir"_s, cacheDir.path()});
    QVERIFY(mountC1(*cli));
    cli->send(commandRequest(1, u"increment"_s));
    QVERIFY(cli->waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "changed"_L1 && o.value(u"version"_s).toInt() == 2;
    }) >= 0);
    cli->terminate(); // SIGTERM: a clean stop that writes the cache
    int code = -1;
    QVERIFY(cli->waitForExit(&code));
    QCOMPARE(code, 128 + 15);
    QVERIFY(cli->standardError().contains("stopping"));
    QCOMPARE(cli->lines.last().value(u"status"_s).toString(), u"closed"_s);
    QCOMPARE(cachedTree(cacheDir.path()).value(u"count"_s).toInt(), 1);
}

void tst_Cli::cacheOff()
{
    // Without --cache-dir nothing is written anywhere, not even under the default location.
    QTemporaryDir home;
    QVERIFY(home.isValid());
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"HOME"_s, home.path());
    environment.insert(u"XDG_CACHE_HOME"_s, home.path() + u"/cache"_s);
    Cli cli({u"--url"_s, m_server->url().toString()}, environment);
    cli.send(mountRequest(u"m"_s));
    const int mounted = cli.waitForTag(u"m"_s);
    QVERIFY(mounted >= 0);
    QCOMPARE(cli.lines.at(mounted).value(u"from_cache"_s), QJsonValue(false));
    QCOMPARE(cli.lines.at(mounted).value(u"version"_s).toInt(), 1);
    cli.send(commandRequest(1, u"increment"_s));
    QVERIFY(cli.waitForTag(1) >= 0);
    cli.send(snapshotRequest(u"s"_s));
    const int at = cli.waitForTag(u"s"_s);
    QVERIFY(at >= 0);
    QCOMPARE(cli.lines.at(at).value(u"from_cache"_s), QJsonValue(false));
    QCOMPARE(cli.lines.at(at).value(u"fetching"_s), QJsonValue(false));
    cli.closeInput();
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 0);
    QCOMPARE(cli.count(u"revalidated"_s), 0);
    const QStringList files = cacheFiles(home.path());
    QVERIFY2(files.isEmpty(), qPrintable(files.join(u", "_s)));
}

void tst_Cli::helpMentionsTrace()
{
    Cli cli({u"--help"_s});
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 0);
    const QByteArray help = cli.badLines.join('\n'); // not JSON: the help text
    QVERIFY2(help.contains("  --trace "), help.constData());
    QVERIFY2(help.contains("--trace=<kinds>"), help.constData());
    QVERIFY2(help.simplified().contains("status, phase, envelope, command, event, cache"),
             help.constData());
}

// Waits for "connected", mounts c1, runs a command that succeeds, one that fails and one
// that pushes an event, then quits.
void tst_Cli::runTraceScript(Cli &cli)
{
    QVERIFY(cli.waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "status"_L1 && o.value(u"status"_s) == "connected"_L1;
    }) >= 0);
    QVERIFY(mountC1(cli));
    cli.send(commandRequest(1, u"increment"_s));
    QVERIFY(cli.waitFor([](const QJsonObject &o) {
        return o.value(u"type"_s) == "changed"_L1 && o.value(u"version"_s).toInt() == 2;
    }) >= 0);
    cli.send(commandRequest(2, u"fail"_s, {{u"detail"_s, 1}}));
    QVERIFY(cli.waitForTag(2) >= 0);
    cli.send(commandRequest(3, u"notify"_s));
    QVERIFY(cli.waitForType(u"event"_s) >= 0);
    cli.send({{u"op"_s, u"quit"_s}});
    int code = -1;
    QVERIFY(cli.waitForExit(&code));
    QCOMPARE(code, 0);
    QVERIFY2(cli.badLines.isEmpty(), cli.badLines.value(0).constData());
}

// Every line of runTraceScript() with --trace over \a active (the protocol in use), the
// volatile fields taken out.
// Defined after the test class: before it, this raw string literal kept moc (Qt 6.4) from
// seeing the class.
static QList<QJsonObject> expectedTraceRun(const QString &active)
{
    // "protocol" is the protocol in use, not chosen yet on the first edge.
    return jsonLines(uR"(
{"type":"trace","kind":"status","status":"connecting","old":"closed","protocol":"auto","error":""}
{"type":"status","status":"connecting"}
{"type":"trace","kind":"status","status":"connected","old":"connecting","protocol":"%1","error":""}
{"type":"status","status":"connected"}
{"type":"trace","kind":"phase","root":"Test.CounterStore:c1","phase":"mounting","old":null,"status":"connecting","version":0}
{"type":"root_status","root":"Test.CounterStore:c1","status":"connecting"}
{"type":"trace","kind":"envelope","root":"Test.CounterStore:c1","accepted":true,"initial":true,"base_version":0,"version":1,"ops":1,"stream_ops":3,"upload_ops":0,"events":0,"changed":[[],["panel"]]}
{"type":"changed","root":"Test.CounterStore:c1","version":1,"stores":[["panel"],[]]}
{"type":"trace","kind":"phase","root":"Test.CounterStore:c1","phase":"live","old":"mounting","status":"live","version":1}
{"type":"root_status","root":"Test.CounterStore:c1","status":"live"}
{"type":"mounted","tag":"m","root":"Test.CounterStore:c1","version":1,"from_cache":false}
{"type":"trace","kind":"command","root":"Test.CounterStore:c1","store_id":[],"name":"increment","payload":{},"outcome":"ok","reply":{},"sent":true}
{"type":"reply","tag":1,"ok":true,"reply":{}}
{"type":"trace","kind":"envelope","root":"Test.CounterStore:c1","accepted":true,"initial":false,"base_version":1,"version":2,"ops":1,"stream_ops":0,"upload_ops":0,"events":0,"changed":[[]]}
{"type":"changed","root":"Test.CounterStore:c1","version":2,"stores":[[]]}
{"type":"trace","kind":"command","root":"Test.CounterStore:c1","store_id":[],"name":"fail","payload":{"detail":1},"outcome":"error","error":"failed","reply":{"detail":1},"sent":true}
{"type":"reply","tag":2,"ok":false,"kind":"failed","code":null,"reply":{"detail":1},"message":"Command \"fail\" failed: {\"detail\":1}"}
{"type":"trace","kind":"command","root":"Test.CounterStore:c1","store_id":[],"name":"notify","payload":{},"outcome":"ok","reply":{},"sent":true}
{"type":"reply","tag":3,"ok":true,"reply":{}}
{"type":"trace","kind":"envelope","root":"Test.CounterStore:c1","accepted":true,"initial":false,"base_version":2,"version":3,"ops":1,"stream_ops":0,"upload_ops":0,"events":1,"changed":[[]]}
{"type":"changed","root":"Test.CounterStore:c1","version":3,"stores":[[]]}
{"type":"trace","kind":"event","root":"Test.CounterStore:c1","store_id":[],"name":"toast","payload":{"msg":"hi"}}
{"type":"event","root":"Test.CounterStore:c1","store_id":[],"name":"toast","payload":{"msg":"hi"}}
{"type":"trace","kind":"phase","root":"Test.CounterStore:c1","phase":"rejoining","old":"live","status":"reconnecting","version":0}
{"type":"root_status","root":"Test.CounterStore:c1","status":"reconnecting"}
{"type":"trace","kind":"status","status":"closed","old":"connected","protocol":"%1","error":""}
{"type":"status","status":"closed"}
)"_s.arg(active));
}

void tst_Cli::trace_data()
{
    QTest::addColumn<QString>("protocol");
    QTest::addColumn<QString>("active");
    QTest::newRow("shared") << u"shared"_s << u"shared_channel"_s;
    QTest::newRow("per-root") << u"per-root"_s << u"per_root_channel"_s;
}

void tst_Cli::trace()
{
    QFETCH(QString, protocol);
    QFETCH(QString, active);
    auto cli = startCli({u"--protocol"_s, protocol, u"--trace"_s});
    runTraceScript(*cli);
    if (QTest::currentTestFailed())
        return;
    // Every line of the run, the volatile fields (at, bytes, apply_us, latency_us) checked
    // and taken out: each trace record comes right before the line of what it records.
    const QList<QJsonObject> expected = expectedTraceRun(active);
    QVERIFY(!expected.isEmpty());
    const QList<QJsonObject> actual = stableLines(*cli);
    QVERIFY2(actual == expected, dump(actual).constData());
}

void tst_Cli::traceKinds_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QStringList>("kinds");
    QTest::newRow("command") << QStringList{u"--trace=command"_s} << QStringList{u"command"_s};
    QTest::newRow("command,event")
            << QStringList{u"--trace=command,event"_s} << QStringList{u"command"_s, u"event"_s};
    QTest::newRow("repeated") << QStringList{u"--trace=status"_s, u"--trace=phase,status"_s}
                              << QStringList{u"status"_s, u"phase"_s};
    QTest::newRow("bare and a subset")
            << QStringList{u"--trace=envelope"_s, u"--trace"_s}
            << QStringList{u"status"_s, u"phase"_s, u"envelope"_s, u"command"_s, u"event"_s};
}

void tst_Cli::traceKinds()
{
    QFETCH(QStringList, arguments);
    QFETCH(QStringList, kinds);
    auto cli = startCli(QStringList{u"--protocol"_s, u"shared"_s} + arguments);
    runTraceScript(*cli);
    if (QTest::currentTestFailed())
        return;
    // The full run's lines without the trace records of the other kinds.
    QList<QJsonObject> expected = expectedTraceRun(u"shared_channel"_s);
    QVERIFY(!expected.isEmpty());
    expected.removeIf([&](const QJsonObject &line) {
        return line.value(u"type"_s) == "trace"_L1
                && !kinds.contains(line.value(u"kind"_s).toString());
    });
    const QList<QJsonObject> actual = stableLines(*cli);
    QVERIFY2(actual == expected, dump(actual).constData());
}

void tst_Cli::traceCache()
{
    QTemporaryDir cacheDir;
    QVERIFY(cacheDir.isValid());
    const QStringList arguments{u"--cache-dir"_s, cacheDir.path(), u"--trace=cache"_s};
    const QString key = u"p1|Test.PlainStore|null"_s; // MusubiCache::keyOf()
    {
        auto cli = startCli(arguments);
        cli->send(mountRequest(1, u"p1"_s, Plain));
        QVERIFY(cli->waitForTag(1) >= 0);
        cli->closeInput();
        int code = -1;
        QVERIFY(cli->waitForExit(&code));
        QCOMPARE(code, 0);
        QList<QJsonObject> traced = stableLines(*cli);
        traced.removeIf([](const QJsonObject &line) {
            return line.value(u"type"_s) != "trace"_L1
                    && line.value(u"type"_s) != "bad trace line"_L1;
        });
        const QList<QJsonObject> expected{QJsonObject{{u"type"_s, u"trace"_s},
                                                      {u"kind"_s, u"cache"_s},
                                                      {u"root"_s, PlainKey},
                                                      {u"key"_s, key},
                                                      {u"result"_s, u"miss"_s}}};
        QVERIFY2(traced == expected, dump(traced).constData());
        QCOMPARE(cacheFiles(cacheDir.path()).size(), 1);
    }
    // The next run finds the entry (a hit, "age_ms" checked), shows it, and the live initial
    // patch revalidates it: each record before the line of what it records.
    auto cli = startCli(arguments);
    cli->send(mountRequest(1, u"p1"_s, Plain));
    QVERIFY(cli->waitForType(u"revalidated"_s) >= 0);
    cli->closeInput();
    int code = -1;
    QVERIFY(cli->waitForExit(&code));
    QCOMPARE(code, 0);
    QList<QJsonObject> lines = stableLines(*cli);
    lines.removeIf([](const QJsonObject &line) {
        const QJsonValue type = line.value(u"type"_s);
        return type == "status"_L1 || type == "root_status"_L1;
    });
    const QList<QJsonObject> expected = jsonLines(uR"(
{"type":"trace","kind":"cache","root":"Test.PlainStore:p1","key":"%1","result":"hit"}
{"type":"changed","root":"Test.PlainStore:p1","version":0,"stores":[[]]}
{"type":"mounted","tag":1,"root":"Test.PlainStore:p1","version":0,"from_cache":true}
{"type":"changed","root":"Test.PlainStore:p1","version":1,"stores":[]}
{"type":"trace","kind":"cache","root":"Test.PlainStore:p1","key":"%1","result":"revalidated"}
{"type":"revalidated","root":"Test.PlainStore:p1","version":1}
)"_s.arg(key));
    QVERIFY(!expected.isEmpty());
    QVERIFY2(lines == expected, dump(lines).constData());
}

void tst_Cli::noTraceWithoutOption()
{
    auto plain = startCli();
    runTraceScript(*plain);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(plain->count(u"trace"_s), 0);
    // The same script with --trace: the same lines, and the trace lines among them.
    auto traced = startCli({u"--trace"_s});
    runTraceScript(*traced);
    if (QTest::currentTestFailed())
        return;
    QVERIFY(traced->count(u"trace"_s) > 0);
    QCOMPARE(withoutType(traced->lines, u"trace"_s), plain->lines);
}

QTEST_GUILESS_MAIN(tst_Cli)
#include "tst_cli.moc"

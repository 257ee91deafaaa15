// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
//
// musubi-codegen below the ETF layer: the type mapping (resolveType), the names, the
// generated code for the fixture manifests and for hand-made clashing modules, the
// manifest reader, and the command-line tool itself (run as a process).

#include <etfterm.h>
#include <generator.h>
#include <manifest.h>
#include <typemodel.h>

#include <QtCore/QDateTime>
#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QFileInfo>
#include <QtCore/QProcess>
#include <QtCore/QRegularExpression>
#include <QtCore/QTemporaryDir>
#include <QtTest/QtTest>

#include <algorithm>
#include <optional>

using namespace Qt::StringLiterals;
using namespace MusubiCodegen;

Q_DECLARE_METATYPE(MusubiCodegen::EtfTerm)
Q_DECLARE_METATYPE(MusubiCodegen::Type::Kind)
Q_DECLARE_METATYPE(MusubiCodegen::ManifestModule)

namespace MusubiCodegen {

QString kindName(Type::Kind kind)
{
    switch (kind) {
    case Type::Kind::String:
        return u"String"_s;
    case Type::Kind::Integer:
        return u"Integer"_s;
    case Type::Kind::Float:
        return u"Float"_s;
    case Type::Kind::Bool:
        return u"Bool"_s;
    case Type::Kind::Enum:
        return u"Enum"_s;
    case Type::Kind::Optional:
        return u"Optional"_s;
    case Type::Kind::Null:
        return u"Null"_s;
    case Type::Kind::List:
        return u"List"_s;
    case Type::Kind::Struct:
        return u"Struct"_s;
    case Type::Kind::StateRef:
        return u"StateRef"_s;
    case Type::Kind::Json:
        return u"Json"_s;
    case Type::Kind::JsonObject:
        return u"JsonObject"_s;
    case Type::Kind::ChildStore:
        return u"ChildStore"_s;
    case Type::Kind::ChildStoreList:
        return u"ChildStoreList"_s;
    case Type::Kind::Stream:
        return u"Stream"_s;
    case Type::Kind::Async:
        return u"Async"_s;
    case Type::Kind::AsyncStream:
        return u"AsyncStream"_s;
    case Type::Kind::Upload:
        return u"Upload"_s;
    }
    return u"?"_s;
}

// QCOMPARE's rendering (found by ADL).
char *toString(Type::Kind kind)
{
    return qstrdup(kindName(kind).toUtf8().constData());
}

char *toString(const EtfTerm &term)
{
    return qstrdup(term.toString().toUtf8().constData());
}

} // namespace MusubiCodegen

namespace {

// --- Term builders, shaped as a stamped manifest holds them ---------------------------

EtfTerm atom(const QString &name)
{
    return EtfTerm::makeAtom(name);
}
EtfTerm integer(qint64 value)
{
    return EtfTerm::makeInteger(value);
}
EtfTerm real(double value)
{
    return EtfTerm::makeFloat(value);
}
EtfTerm binary(const QByteArray &bytes)
{
    return EtfTerm::makeBinary(bytes);
}
EtfTerm list(QList<EtfTerm> items = {})
{
    return EtfTerm::makeList(std::move(items));
}
EtfTerm tuple(QList<EtfTerm> items)
{
    return EtfTerm::makeTuple(std::move(items));
}
EtfTerm map(QList<std::pair<EtfTerm, EtfTerm>> pairs = {})
{
    return EtfTerm::makeMap(std::move(pairs));
}

// `[line: 12]` (a parsed node's meta).
EtfTerm meta(int line = 12)
{
    return list({tuple({atom(u"line"_s), integer(line)})});
}

// `{name, m, args}`: integer(), list(T), ...
EtfTerm call(const QString &name, QList<EtfTerm> args = {}, const EtfTerm &m = meta())
{
    return tuple({atom(name), m, list(std::move(args))});
}

// `{:__aliases__, m, [:A, :B]}`
EtfTerm aliases(const QStringList &parts)
{
    QList<EtfTerm> atoms;
    for (const QString &part : parts)
        atoms.append(atom(part));
    return tuple({atom(u"__aliases__"_s), meta(), list(atoms)});
}

// `{{:., m, [alias, :fun]}, m, args}`: Mod.fun(args). \a alias is an alias node or a bare
// module atom.
EtfTerm remote(const EtfTerm &alias, const QString &fun, QList<EtfTerm> args = {},
               const EtfTerm &m = meta())
{
    return tuple({tuple({atom(u"."_s), m, list({alias, atom(fun)})}), m, list(std::move(args))});
}
EtfTerm remote(const QStringList &parts, const QString &fun, QList<EtfTerm> args = {},
               const EtfTerm &m = meta())
{
    return remote(aliases(parts), fun, std::move(args), m);
}

EtfTerm stringT()
{
    return remote({u"String"_s}, u"t"_s);
}

// `a | b | c` as the parser nests it: {:|, m, [a, {:|, m, [b, c]}]}.
EtfTerm unionRight(const QList<EtfTerm> &arms)
{
    EtfTerm out = arms.last();
    for (qsizetype i = arms.size() - 2; i >= 0; --i)
        out = call(u"|"_s, {arms.at(i), out});
    return out;
}

// The other nesting: {:|, m, [{:|, m, [a, b]}, c]}.
EtfTerm unionLeft(const QList<EtfTerm> &arms)
{
    EtfTerm out = arms.first();
    for (qsizetype i = 1; i < arms.size(); ++i)
        out = call(u"|"_s, {out, arms.at(i)});
    return out;
}

// `%{k: T}` (atom keys) or `%{"k" => T}` (binary keys): {:%{}, m, [{k, T}, ...]}.
EtfTerm mapType(const QList<std::pair<EtfTerm, EtfTerm>> &pairs, const EtfTerm &m = meta())
{
    QList<EtfTerm> items;
    for (const auto &[key, value] : pairs)
        items.append(tuple({key, value}));
    return tuple({atom(u"%{}"_s), m, list(items)});
}

// `stream :x, T, limit: 100`: {:stream, [musubi_stream_opts: [limit: 100]], [T]}.
EtfTerm streamNode(const EtfTerm &item)
{
    const EtfTerm opts = list({tuple({atom(u"limit"_s), integer(100)})});
    return tuple({atom(u"stream"_s), list({tuple({atom(u"musubi_stream_opts"_s), opts})}),
                  list({item})});
}

EtfTerm asyncOf(const EtfTerm &inner, const EtfTerm &m = meta())
{
    return remote({u"Musubi"_s, u"AsyncResult"_s}, u"of"_s, {inner}, m);
}

// %{id: String.t(), text: String.t()}
EtfTerm messageItem()
{
    return mapType({{atom(u"id"_s), stringT()}, {atom(u"text"_s), stringT()}});
}

// A compact, recursive rendering of a resolved type: kind, atoms, inner, module, fields.
QString describe(const TypePtr &type)
{
    if (!type)
        return u"<null>"_s;
    QString out = kindName(type->kind);
    if (type->kind == Type::Kind::Enum)
        out += u"["_s + type->atoms.join(u',') + u"]"_s;
    if (!type->module.isEmpty())
        out += u"("_s + type->module + u")"_s;
    if (type->inner)
        out += u"<"_s + describe(type->inner) + u">"_s;
    if (type->kind == Type::Kind::Struct || !type->fields.isEmpty()) {
        QStringList fields;
        for (const StructField &field : type->fields)
            fields.append(field.wire + u":"_s + describe(field.type));
        out += u"{"_s + fields.join(u',') + u"}"_s;
    }
    return out;
}

TypeContext typeContext()
{
    TypeContext context;
    context.stateModules = {u"Typed.Price"_s};
    context.storeModules = {u"Typed.Inbox"_s, u"Typed.Message"_s};
    return context;
}

// --- Fixtures ---------------------------------------------------------------------------

QString fixtureDir(const QString &name)
{
    return QStringLiteral(MUSUBI_CODEGEN_FIXTURES) + u'/' + name;
}

GeneratorOptions inboxOptions()
{
    GeneratorOptions options;
    options.qmlUri = u"InboxTypes"_s;
    options.cppNamespace = u"App::Stores"_s;
    return options;
}

QByteArray fileContent(const Generated &generated, const QString &name)
{
    for (const GeneratedFile &file : generated.files) {
        if (file.name == name)
            return file.content;
    }
    return {};
}

QStringList fileNames(const Generated &generated)
{
    QStringList names;
    for (const GeneratedFile &file : generated.files)
        names.append(file.name);
    return names;
}

// How often \a pattern matches \a text.
int countMatches(const QByteArray &text, const QString &pattern)
{
    const QRegularExpression re(pattern);
    int n = 0;
    for (auto it = re.globalMatch(QString::fromUtf8(text)); it.hasNext(); it.next())
        ++n;
    return n;
}

// The names that occur more than once among \a pattern's first capture group.
QStringList duplicates(const QByteArray &text, const QString &pattern)
{
    const QRegularExpression re(pattern);
    QStringList seen;
    QStringList twice;
    for (auto it = re.globalMatch(QString::fromUtf8(text)); it.hasNext();) {
        const QString name = it.next().captured(1);
        if (seen.contains(name) && !twice.contains(name))
            twice.append(name);
        seen.append(name);
    }
    return twice;
}

ManifestModule storeModule(const QString &name, QList<ManifestField> fields)
{
    ManifestModule module;
    module.name = name;
    module.isStore = true;
    module.fields = std::move(fields);
    return module;
}

// A store whose names collide in every way the generator resolves.
ManifestModule clashModule()
{
    ManifestModule module = storeModule(
            u"Shop.Clash"_s,
            {
                    {u"foo_bar"_s, stringT()},
                    {u"fooBar"_s, call(u"integer"_s)},
                    {u"store"_s, call(u"boolean"_s)},
                    {u"object_name"_s, stringT()},
                    {u"title"_s, stringT()},
                    {u"class"_s, stringT()},
                    {u"ship_to"_s, mapType({{atom(u"city"_s), stringT()}})},
                    {u"shipTo"_s, mapType({{atom(u"zip"_s), call(u"integer"_s)}})},
                    {u"review"_s, unionRight({atom(u"needs-review"_s), atom(u"needs_review"_s)})},
                    {u"rank"_s, unionRight({atom(u"1st"_s), atom(u"2nd"_s)})},
                    {u"1st_place"_s, stringT()},
                    {u"price"_s, remote({u"Shop"_s, u"Money"_s}, u"t"_s)},
                    {u"lines"_s, call(u"list"_s, {remote({u"Shop"_s, u"Line"_s}, u"state"_s)})},
            });
    module.commands = {
            {u"title"_s, {}, {}}, // a field's name
            {u"foo-bar"_s, {{u"class"_s, stringT(), {}}}, {}},
    };
    module.events = {
            {u"foo_bar_changed"_s, {}}, // a NOTIFY signal's name
            {u"title"_s, {}},
    };
    return module;
}

QList<ManifestModule> clashModules()
{
    ManifestModule money;
    money.name = u"Shop.Money"_s;
    money.fields = {{u"cents"_s, call(u"integer"_s)}};
    ManifestModule line = storeModule(u"Shop.Line"_s, {{u"sku"_s, stringT()}});
    return {clashModule(), money, line};
}

GeneratorOptions clashOptions()
{
    GeneratorOptions options;
    options.qmlUri = u"ShopTypes"_s;
    options.cppNamespace = u"App::Stores"_s;
    return options;
}

// --- The tool as a process ---------------------------------------------------------------

struct Run
{
    int exitCode = -1;
    QString err;
    QString out;
    QString why; // set when the process did not run to a normal exit
};

Run runCodegen(const QStringList &args)
{
    QProcess process;
    process.setProgram(QStringLiteral(MUSUBI_CODEGEN_EXE));
    process.setArguments(args);
    process.start();
    Run run;
    if (!process.waitForStarted(30'000)) {
        run.why = u"did not start: "_s + process.errorString();
        return run;
    }
    if (!process.waitForFinished(60'000)) {
        process.kill();
        process.waitForFinished(10'000);
        run.why = u"timed out"_s;
        return run;
    }
    run.err = QString::fromUtf8(process.readAllStandardError());
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    if (process.exitStatus() != QProcess::NormalExit) {
        run.why = u"crashed: "_s + run.err;
        return run;
    }
    run.exitCode = process.exitCode();
    return run;
}

QString describeRun(const Run &run)
{
    return u"exit %1%2; stderr:\n%3"_s.arg(
            QString::number(run.exitCode),
            run.why.isEmpty() ? QString() : u" ("_s + run.why + u")"_s, run.err);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate)
            && file.write(content) == content.size();
}

// Sets \a path's mtime far in the past, so a rewrite shows without waiting for the clock.
bool ageFile(const QString &path, const QDateTime &when)
{
    QFile file(path);
    return file.open(QIODevice::ReadWrite)
            && file.setFileTime(when, QFileDevice::FileModificationTime);
}

QDateTime modified(const QString &path)
{
    return QFileInfo(path).fileTime(QFileDevice::FileModificationTime);
}

const QStringList kInboxArgs = {u"--qml-uri"_s, u"InboxTypes"_s, u"--namespace"_s,
                                u"App::Stores"_s};

} // namespace

class tst_Codegen : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    // 1. The type mapping.
    void resolveTypeForms_data();
    void resolveTypeForms();
    void aliasModuleForms_data();
    void aliasModuleForms();

    // 2. Names.
    void lowerCamelNames_data();
    void lowerCamelNames();
    void pascalCaseNames_data();
    void pascalCaseNames();
    void reservedMemberNames_data();
    void reservedMemberNames();

    // 3. Generated code.
    void fixtureFiles();
    void fixtureCode_data();
    void fixtureCode();
    void clashNames_data();
    void clashNames();
    void clashNamesUnique();
    void deterministicOutput();
    void moduleOrderIrrelevant();
    void notesListUntypedFields();
    void generateRejectsOptions_data();
    void generateRejectsOptions();
    void generatedMemberFunctionsUnique_data();
    void generatedMemberFunctionsUnique();
    void qmlNamesUnique_data();
    void qmlNamesUnique();
    void wireNamesEscaped_data();
    void wireNamesEscaped();
    void moduleAndSubmodule();
    void argumentsNamedLikeLocals();

    // 4. Reading manifests.
    void readGoodManifestDir();
    void readBadManifestDir();
    void readManifestDirFails_data();
    void readManifestDirFails();
    void parseManifestAccepts_data();
    void parseManifestAccepts();
    void parseManifestRejects_data();
    void parseManifestRejects();

    // 5. The command-line tool.
    void cliWritesFiles();
    void cliKeepsUnchangedFiles();
    void cliCheck_data();
    void cliCheck();
    void cliBadInput_data();
    void cliBadInput();
    void cliWarnsAboutSkippedFiles();

private:
    std::optional<Generated> m_fixture; // tests/codegen/manifest, InboxTypes, App::Stores
};

void tst_Codegen::initTestCase()
{
    QVERIFY2(QFileInfo::exists(QStringLiteral(MUSUBI_CODEGEN_EXE)), MUSUBI_CODEGEN_EXE);
    QString error;
    const auto dir = readManifestDir(fixtureDir(u"manifest"_s), &error);
    QVERIFY2(dir, qPrintable(error));
    m_fixture = generate(dir->modules, inboxOptions(), &error);
    QVERIFY2(m_fixture, qPrintable(error));
}

// --- 1. The type mapping ------------------------------------------------------------------

void tst_Codegen::resolveTypeForms_data()
{
    QTest::addColumn<EtfTerm>("ast");
    QTest::addColumn<bool>("topLevel");
    QTest::addColumn<Type::Kind>("kind");
    QTest::addColumn<QString>("shape"); // describe(): kind, atoms, (module), <inner>, {fields}
    QTest::addColumn<QString>("note"); // a part of the note; "" = no note
    QTest::addColumn<QString>("source"); // typeSource(); "" = not checked

    using K = Type::Kind;
    const EtfTerm integerT = call(u"integer"_s);
    const EtfTerm nil = atom(u"nil"_s);
    const EtfTerm messageState = remote({u"Typed"_s, u"Message"_s}, u"state"_s);

    // Scalars.
    QTest::newRow("String.t()") << stringT() << false << K::String << u"String"_s << QString()
                                << u"String.t()"_s;
    QTest::newRow("binary()") << call(u"binary"_s) << false << K::String << u"String"_s << QString()
                              << u"binary()"_s;
    QTest::newRow("string()") << call(u"string"_s) << false << K::String << u"String"_s << QString()
                              << QString();
    QTest::newRow("atom()") << call(u"atom"_s) << false << K::String << u"String"_s << QString()
                            << QString();
    QTest::newRow("integer()") << integerT << false << K::Integer << u"Integer"_s << QString()
                               << u"integer()"_s;
    QTest::newRow("float()") << call(u"float"_s) << false << K::Float << u"Float"_s << QString()
                             << QString();
    QTest::newRow("boolean()") << call(u"boolean"_s) << false << K::Bool << u"Bool"_s << QString()
                               << QString();
    QTest::newRow("true") << atom(u"true"_s) << false << K::Bool << u"Bool"_s << QString()
                          << u"true"_s;
    QTest::newRow("false") << atom(u"false"_s) << false << K::Bool << u"Bool"_s << QString()
                           << QString();
    QTest::newRow("true | false") << unionRight({atom(u"true"_s), atom(u"false"_s)}) << false
                                  << K::Bool << u"Bool"_s << QString() << u"true | false"_s;
    QTest::newRow("nil") << nil << false << K::Null << u"Null"_s << QString() << u"nil"_s;

    // Atoms.
    QTest::newRow("lone atom") << atom(u"open"_s) << false << K::Enum << u"Enum[open]"_s
                               << QString() << u":open"_s;
    QTest::newRow("atom union, right-nested")
            << unionRight({atom(u"all"_s), atom(u"unread"_s), atom(u"needs-review"_s)}) << false
            << K::Enum << u"Enum[all,unread,needs-review]"_s << QString()
            << u":all | :unread | :\"needs-review\""_s;
    QTest::newRow("atom union, left-nested")
            << unionLeft({atom(u"all"_s), atom(u"unread"_s), atom(u"needs-review"_s)}) << false
            << K::Enum << u"Enum[all,unread,needs-review]"_s << QString()
            << u":all | :unread | :\"needs-review\""_s;
    QTest::newRow("atom union, repeated atom")
            << unionRight({atom(u"a"_s), atom(u"b"_s), atom(u"a"_s)}) << false << K::Enum
            << u"Enum[a,b]"_s << QString() << QString();
    // typeSource() quotes an atom that is not a plain identifier, as Elixir writes it.
    QTest::newRow("atom with a dash")
            << atom(u"needs-review"_s) << false << K::Enum << u"Enum[needs-review]"_s << QString()
            << u":\"needs-review\""_s;
    QTest::newRow("atom with ? and @")
            << unionRight({atom(u"ok?"_s), atom(u"a@b"_s), atom(u"_x"_s)}) << false << K::Enum
            << u"Enum[ok?,a@b,_x]"_s << QString() << u":ok? | :a@b | :_x"_s;
    QTest::newRow("atom with a quote and a backslash")
            << atom(u"say \"hi\" \\o/"_s) << false << K::Enum << u"Enum[say \"hi\" \\o/]"_s
            << QString() << u":\"say \\\"hi\\\" \\\\o/\""_s;
    QTest::newRow("atom starting with a digit")
            << atom(u"1st"_s) << false << K::Enum << u"Enum[1st]"_s << QString() << u":\"1st\""_s;

    // nil arms.
    QTest::newRow("T | nil") << unionRight({stringT(), nil}) << false << K::Optional
                             << u"Optional<String>"_s << QString() << u"String.t() | nil"_s;
    QTest::newRow("nil | T") << unionRight({nil, integerT}) << false << K::Optional
                             << u"Optional<Integer>"_s << QString() << u"nil | integer()"_s;
    QTest::newRow("atoms with nil between, left-nested")
            << unionLeft({atom(u"low"_s), nil, atom(u"high"_s)}) << false << K::Optional
            << u"Optional<Enum[low,high]>"_s << QString() << u":low | nil | :high"_s;
    QTest::newRow("nil | nil") << unionRight({nil, nil}) << false << K::Null << u"Null"_s
                               << QString() << QString();
    QTest::newRow("boolean() | nil")
            << unionRight({call(u"boolean"_s), nil}) << false << K::Optional << u"Optional<Bool>"_s
            << QString() << QString();

    // Literals and their unions.
    QTest::newRow("string literal") << binary("s") << false << K::String << u"String"_s
                                    << u"Allowed values: \"s\""_s << u"\"s\""_s;
    QTest::newRow("string literal union")
            << unionRight({binary("s"), binary("m"), binary("l")}) << false << K::String
            << u"String"_s << u"Allowed values: \"s\", \"m\", \"l\""_s
            << u"\"s\" | \"m\" | \"l\""_s;
    QTest::newRow("integer literal union")
            << unionLeft({integer(1), integer(2), integer(300)}) << false << K::Integer
            << u"Integer"_s << u"Allowed values: 1, 2, 300"_s << u"1 | 2 | 300"_s;
    QTest::newRow("float literal union")
            << unionRight({real(1.5), real(2.5)}) << false << K::Float << u"Float"_s
            << u"Allowed values: 1.5, 2.5"_s << u"1.5 | 2.5"_s;
    QTest::newRow("string literal union | nil")
            << unionRight({binary("s"), binary("m"), nil}) << false << K::Optional
            << u"Optional<String>"_s << QString() << QString();

    // Other unions: QJsonValue with the arms in a note.
    QTest::newRow("mixed union") << unionRight({stringT(), integerT}) << false << K::Json
                                 << u"Json"_s << u"Declared arms: String.t() | integer()"_s
                                 << u"String.t() | integer()"_s;
    QTest::newRow("mixed literal union")
            << unionRight({binary("s"), integer(1)}) << false << K::Json << u"Json"_s
            << u"Declared arms: \"s\" | 1"_s << QString();
    QTest::newRow("atom | string literal")
            << unionRight({atom(u"a"_s), binary("b")}) << false << K::Json << u"Json"_s
            << u"Declared arms"_s << QString();
    QTest::newRow("union of maps")
            << unionRight({mapType({{atom(u"type"_s), atom(u"idle"_s)}}),
                           mapType({{atom(u"type"_s), atom(u"syncing"_s)},
                                    {atom(u"done"_s), integerT}})})
            << false << K::Json << u"Json"_s
            << u"Declared arms: %{type: :idle} | %{type: :syncing, done: integer()}"_s << QString();
    QTest::newRow("mixed union | nil") << unionRight({stringT(), integerT, nil}) << false << K::Json
                                       << u"Json"_s << u"Declared arms"_s << QString();

    // Lists and maps.
    QTest::newRow("list(String.t())") << call(u"list"_s, {stringT()}) << false << K::List
                                      << u"List<String>"_s << QString() << u"list(String.t())"_s;
    QTest::newRow("list(integer())") << call(u"list"_s, {integerT}) << false << K::List
                                     << u"List<Integer>"_s << QString() << QString();
    QTest::newRow("list(:a | :b)")
            << call(u"list"_s, {unionRight({atom(u"a"_s), atom(u"b"_s)})}) << false << K::List
            << u"List<Enum[a,b]>"_s << QString() << QString();
    QTest::newRow("[T]") << list({stringT()}) << false << K::Json << u"Json"_s << QString()
                         << u"[String.t()]"_s;
    QTest::newRow("map()") << call(u"map"_s) << false << K::JsonObject << u"JsonObject"_s
                           << QString() << u"map()"_s;
    QTest::newRow("%{k: T}") << mapType(
            {{atom(u"speed"_s), unionRight({atom(u"standard"_s), atom(u"express"_s)})},
             {atom(u"gift"_s), call(u"boolean"_s)}})
                             << false << K::Struct
                             << u"Struct{speed:Enum[standard,express],gift:Bool}"_s << QString()
                             << u"%{speed: :standard | :express, gift: boolean()}"_s;
    QTest::newRow("field :k do ... end (empty meta)")
            << mapType({{atom(u"a"_s), integerT}}, list()) << true << K::Struct
            << u"Struct{a:Integer}"_s << QString() << u"%{a: integer()}"_s;
    QTest::newRow("%{\"k-1\" => T}")
            << mapType({{binary("k-1"), integerT}}) << false << K::Struct
            << u"Struct{k-1:Integer}"_s << QString() << u"%{\"k-1\" => integer()}"_s;
    QTest::newRow("map holding a child store")
            << mapType({{atom(u"child"_s), messageState}}) << true << K::Struct
            << u"Struct{child:Json}"_s << QString() << QString();

    // Streams.
    QTest::newRow("stream, top level")
            << streamNode(messageItem()) << true << K::Stream << u"Stream{id:String,text:String}"_s
            << QString() << u"stream(%{id: String.t(), text: String.t()})"_s;
    QTest::newRow("stream of scalars, top level")
            << streamNode(stringT()) << true << K::Stream << u"Stream"_s << QString() << QString();
    QTest::newRow("stream | nil, top level")
            << unionRight({streamNode(messageItem()), nil}) << true << K::Stream
            << u"Stream{id:String,text:String}"_s << QString()
            << u"stream(%{id: String.t(), text: String.t()}) | nil"_s;
    QTest::newRow("stream, nested")
            << streamNode(messageItem()) << false << K::Json << u"Json"_s << QString() << QString();

    // Async values.
    QTest::newRow("AsyncResult.of(T), top level")
            << asyncOf(mapType({{atom(u"sum"_s), integerT}})) << true << K::Async
            << u"Async<Struct{sum:Integer}>"_s << QString()
            << u"Musubi.AsyncResult.of(%{sum: integer()})"_s;
    QTest::newRow("AsyncResult.of(integer()), top level")
            << asyncOf(integerT) << true << K::Async << u"Async<Integer>"_s << QString()
            << QString();
    QTest::newRow("AsyncResult.of(T) | nil, top level")
            << unionRight({asyncOf(mapType({{atom(u"sum"_s), integerT}})), nil}) << true << K::Async
            << u"Async<Struct{sum:Integer}>"_s << QString()
            << u"Musubi.AsyncResult.of(%{sum: integer()}) | nil"_s;
    QTest::newRow("AsyncResult.of(T), nested")
            << asyncOf(integerT) << false << K::Json << u"Json"_s << QString() << QString();
    QTest::newRow("AsyncResult.of(stream(T)), top level (stream_async)")
            << asyncOf(streamNode(messageItem()), list()) << true << K::AsyncStream
            << u"AsyncStream{id:String,text:String}"_s << QString()
            << u"Musubi.AsyncResult.of(stream(%{id: String.t(), text: String.t()}))"_s;
    QTest::newRow("nil | AsyncResult.of(stream(T)), top level")
            << unionRight({nil, asyncOf(streamNode(messageItem()), list())}) << true
            << K::AsyncStream << u"AsyncStream{id:String,text:String}"_s << QString() << QString();
    QTest::newRow("Other.of(T)") << remote({u"Other"_s}, u"of"_s, {integerT}) << true << K::Json
                                 << u"Json"_s << QString() << u"Other.of(integer())"_s;

    // Child stores.
    QTest::newRow("Mod.state(), top level")
            << messageState << true << K::ChildStore << u"ChildStore(Typed.Message)"_s << QString()
            << u"Typed.Message.state()"_s;
    QTest::newRow("Mod.state() | nil, top level")
            << unionRight({messageState, nil}) << true << K::ChildStore
            << u"ChildStore(Typed.Message)"_s << QString() << QString();
    QTest::newRow("nil | Mod.state(), top level")
            << unionLeft({nil, messageState}) << true << K::ChildStore
            << u"ChildStore(Typed.Message)"_s << QString() << u"nil | Typed.Message.state()"_s;
    QTest::newRow("Mod.state(), nested")
            << messageState << false << K::Json << u"Json"_s << QString() << QString();
    QTest::newRow("Mod.state(), Mod unknown") << remote({u"Typed"_s, u"Gone"_s}, u"state"_s) << true
                                              << K::Json << u"Json"_s << QString() << QString();
    QTest::newRow("Mod.state(), Mod a :state module")
            << remote({u"Typed"_s, u"Price"_s}, u"state"_s) << true << K::Json << u"Json"_s
            << QString() << QString();
    QTest::newRow("list(Mod.state()), top level")
            << call(u"list"_s, {messageState}) << true << K::ChildStoreList
            << u"ChildStoreList(Typed.Message)"_s << QString() << u"list(Typed.Message.state())"_s;
    // A child store list, a stream, an async value are nullable already: T | nil is T.
    QTest::newRow("list(Mod.state()) | nil, top level")
            << unionRight({call(u"list"_s, {messageState}), nil}) << true << K::ChildStoreList
            << u"ChildStoreList(Typed.Message)"_s << QString()
            << u"list(Typed.Message.state()) | nil"_s;
    QTest::newRow("list(Mod.state()) | nil, nested")
            << unionRight({call(u"list"_s, {messageState}), nil}) << false << K::Optional
            << u"Optional<List<Json>>"_s << QString() << QString();
    QTest::newRow("list(Mod.state()), nested")
            << call(u"list"_s, {messageState}) << false << K::List << u"List<Json>"_s << QString()
            << QString();

    // Remote types.
    QTest::newRow("Mod.t(), Mod :state")
            << remote({u"Typed"_s, u"Price"_s}, u"t"_s) << false << K::StateRef
            << u"StateRef(Typed.Price)"_s << QString() << u"Typed.Price.t()"_s;
    QTest::newRow("list(Mod.t()), Mod :state")
            << call(u"list"_s, {remote({u"Typed"_s, u"Price"_s}, u"t"_s)}) << false << K::List
            << u"List<StateRef(Typed.Price)>"_s << QString() << QString();
    QTest::newRow("Mod.t(), Mod a store") << remote({u"Typed"_s, u"Inbox"_s}, u"t"_s) << true
                                          << K::Json << u"Json"_s << QString() << QString();
    QTest::newRow("Mod.t(), Mod unknown") << remote({u"Typed"_s, u"Gone"_s}, u"t"_s) << false
                                          << K::Json << u"Json"_s << QString() << QString();
    QTest::newRow("DateTime.t()") << remote({u"DateTime"_s}, u"t"_s) << false << K::Json
                                  << u"Json"_s << QString() << u"DateTime.t()"_s;

    // Untyped on purpose.
    QTest::newRow("any()") << call(u"any"_s) << false << K::Json << u"Json"_s << QString()
                           << u"any()"_s;
    QTest::newRow("term()") << call(u"term"_s) << false << K::Json << u"Json"_s << QString()
                            << QString();
    QTest::newRow("number()") << call(u"number"_s) << false << K::Json << u"Json"_s << QString()
                              << QString();
    QTest::newRow("non_neg_integer()") << call(u"non_neg_integer"_s) << true << K::Json << u"Json"_s
                                       << QString() << u"non_neg_integer()"_s;

    // A bare module atom in the alias slot.
    QTest::newRow("bare atom: String.t()")
            << remote(atom(u"Elixir.String"_s), u"t"_s) << false << K::String << u"String"_s
            << QString() << u"String.t()"_s;
    QTest::newRow("bare atom: Mod.t()")
            << remote(atom(u"Elixir.Typed.Price"_s), u"t"_s) << false << K::StateRef
            << u"StateRef(Typed.Price)"_s << QString() << u"Typed.Price.t()"_s;
    QTest::newRow("bare atom: Mod.state()")
            << remote(atom(u"Elixir.Typed.Message"_s), u"state"_s) << true << K::ChildStore
            << u"ChildStore(Typed.Message)"_s << QString() << u"Typed.Message.state()"_s;
    QTest::newRow("bare atom: AsyncResult.of(T)")
            << remote(atom(u"Elixir.Musubi.AsyncResult"_s), u"of"_s, {integerT}) << true << K::Async
            << u"Async<Integer>"_s << QString() << QString();
}

void tst_Codegen::resolveTypeForms()
{
    QFETCH(EtfTerm, ast);
    QFETCH(bool, topLevel);
    QFETCH(Type::Kind, kind);
    QFETCH(QString, shape);
    QFETCH(QString, note);
    QFETCH(QString, source);

    const TypePtr type = resolveType(ast, typeContext(), topLevel);
    QVERIFY(type);
    QCOMPARE(type->kind, kind);
    QCOMPARE(describe(type), shape);
    if (note.isEmpty()) {
        QVERIFY2(type->note.isEmpty(), qPrintable(type->note));
    } else {
        QVERIFY2(type->note.contains(note), qPrintable(type->note));
    }
    // The source is recorded on the type, and is what typeSource() says.
    QCOMPARE(type->source, typeSource(ast));
    if (!source.isEmpty())
        QCOMPARE(typeSource(ast), source);
}

void tst_Codegen::aliasModuleForms_data()
{
    QTest::addColumn<EtfTerm>("alias");
    QTest::addColumn<QString>("module");

    QTest::newRow("one part") << aliases({u"String"_s}) << u"String"_s;
    QTest::newRow("two parts") << aliases({u"Shop"_s, u"CartStore"_s}) << u"Shop.CartStore"_s;
    QTest::newRow("bare module atom") << atom(u"Elixir.Shop.CartStore"_s) << u"Shop.CartStore"_s;
    QTest::newRow("atom without Elixir.") << atom(u"Shop"_s) << u"Shop"_s;
    QTest::newRow("not an alias") << call(u"integer"_s) << QString();
    QTest::newRow("alias with a non-atom part")
            << tuple({atom(u"__aliases__"_s), meta(), list({atom(u"A"_s), integer(1)})})
            << QString();
    QTest::newRow("binary") << binary("Shop") << QString();
}

void tst_Codegen::aliasModuleForms()
{
    QFETCH(EtfTerm, alias);
    QFETCH(QString, module);
    QCOMPARE(aliasModule(alias), module);
}

// --- 2. Names ---------------------------------------------------------------------------------

void tst_Codegen::lowerCamelNames_data()
{
    QTest::addColumn<QString>("wire");
    QTest::addColumn<QString>("name");

    QTest::newRow("snake_case") << u"unread_count"_s << u"unreadCount"_s;
    QTest::newRow("one word") << u"title"_s << u"title"_s;
    QTest::newRow("double underscore") << u"a__b"_s << u"aB"_s;
    QTest::newRow("leading underscores") << u"__x"_s << u"x"_s;
    QTest::newRow("dashes") << u"needs-review"_s << u"needsReview"_s;
    QTest::newRow("already camel") << u"unreadCount"_s << u"unreadCount"_s;
    QTest::newRow("leading capital") << u"Title"_s << u"title"_s;
    QTest::newRow("leading digit") << u"1st_place"_s << u"v1stPlace"_s;
    QTest::newRow("digits only") << u"42"_s << u"v42"_s;
    QTest::newRow("nothing usable") << u"__"_s << u"value"_s;
    QTest::newRow("empty") << QString() << u"value"_s;
}

void tst_Codegen::lowerCamelNames()
{
    QFETCH(QString, wire);
    QFETCH(QString, name);
    QCOMPARE(lowerCamel(wire), name);
}

void tst_Codegen::pascalCaseNames_data()
{
    QTest::addColumn<QString>("wire");
    QTest::addColumn<QString>("name");

    QTest::newRow("dashes") << u"needs-review"_s << u"NeedsReview"_s;
    QTest::newRow("snake_case") << u"unread_count"_s << u"UnreadCount"_s;
    QTest::newRow("one word") << u"all"_s << u"All"_s;
    QTest::newRow("camel") << u"fooBar"_s << u"FooBar"_s;
    QTest::newRow("separators only between") << u"a..b--c"_s << u"ABC"_s;
    QTest::newRow("leading digit") << u"9lives"_s << u"_9lives"_s;
    QTest::newRow("digit after separator") << u"x_1"_s << u"X1"_s;
    QTest::newRow("empty") << QString() << QString();
}

void tst_Codegen::pascalCaseNames()
{
    QFETCH(QString, wire);
    QFETCH(QString, name);
    QCOMPARE(pascalCase(wire), name);
}

void tst_Codegen::reservedMemberNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("reserved");

    QTest::newRow("class") << u"class"_s << true;
    QTest::newRow("delete") << u"delete"_s << true;
    QTest::newRow("signals") << u"signals"_s << true;
    QTest::newRow("objectName") << u"objectName"_s << true;
    QTest::newRow("deleteLater") << u"deleteLater"_s << true;
    QTest::newRow("parent") << u"parent"_s << true;
    QTest::newRow("store") << u"store"_s << true;
    QTest::newRow("changed") << u"changed"_s << true;
    QTest::newRow("title") << u"title"_s << false;
    QTest::newRow("unreadCount") << u"unreadCount"_s << false;
    QTest::newRow("class_") << u"class_"_s << false;
    QTest::newRow("Class") << u"Class"_s << false;
}

void tst_Codegen::reservedMemberNames()
{
    QFETCH(QString, name);
    QFETCH(bool, reserved);
    QCOMPARE(isReservedMemberName(name), reserved);
}

// --- 3. Generated code --------------------------------------------------------------------------

void tst_Codegen::fixtureFiles()
{
    QVERIFY(m_fixture);
    QCOMPARE(fileNames(*m_fixture), (QStringList{u"inboxtypes.h"_s, u"inboxtypes.cpp"_s}));
    for (const GeneratedFile &file : m_fixture->files) {
        QVERIFY2(!file.content.isEmpty(), qPrintable(file.name));
        QVERIFY2(file.content.endsWith('\n'), qPrintable(file.name));
        QVERIFY2(!file.content.contains('\r'), qPrintable(file.name));
    }
    const QByteArray cpp = fileContent(*m_fixture, u"inboxtypes.cpp"_s);
    QVERIFY(cpp.contains("#include \"inboxtypes.h\""));
}

void tst_Codegen::fixtureCode_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("pattern"); // a regular expression
    QTest::addColumn<bool>("present");

    const QString h = u"inboxtypes.h"_s;
    const QString cpp = u"inboxtypes.cpp"_s;
    auto has = [](const char *tag, const QString &file, const QString &text) {
        QTest::newRow(tag) << file << QRegularExpression::escape(text) << true;
    };
    auto lacks = [](const char *tag, const QString &file, const QString &text) {
        QTest::newRow(tag) << file << QRegularExpression::escape(text) << false;
    };

    has("namespace", h, u"namespace App::Stores::Typed {"_s);
    has("export macro", h, u"#  define INBOXTYPES_EXPORT Q_DECL_EXPORT"_s);
    has("export guard", h, u"#if defined(MUSUBI_STORES_BUILD_INBOXTYPES)"_s);
    // A store with commands derives from its commands' class (written qualified, as
    // qmltyperegistrar matches it).
    has("store class", h,
        u"class INBOXTYPES_EXPORT Inbox : public App::Stores::Typed::InboxCommands"_s);
    has("child store class", h,
        u"class INBOXTYPES_EXPORT Message : public App::Stores::Typed::MessageCommands"_s);
    lacks("store class on MusubiTypedStore", h,
          u"class INBOXTYPES_EXPORT Inbox : public MusubiTypedStore"_s);
    has("commands class", h,
        u"class INBOXTYPES_EXPORT InboxCommands : public MusubiTypedStore\n{\n    Q_OBJECT\n"
        u"    QML_ANONYMOUS\n"_s);
    has("child commands class", h,
        u"class INBOXTYPES_EXPORT MessageCommands : public MusubiTypedStore\n{\n    Q_OBJECT\n"
        u"    QML_ANONYMOUS\n"_s);
    has("commands class constructors", h, u"using MusubiTypedStore::MusubiTypedStore;"_s);
    has("root class", h, u"class INBOXTYPES_EXPORT InboxRoot : public MusubiRoot"_s);
    has("QML type", h, u"QML_NAMED_ELEMENT(TypedInbox)"_s);
    has("QML root type", h, u"QML_NAMED_ELEMENT(TypedInboxRoot)"_s);
    has("QML child type", h, u"QML_NAMED_ELEMENT(TypedMessage)"_s);
    has("root state", h,
        u"Q_PROPERTY(App::Stores::Typed::Inbox *state READ state NOTIFY stateChanged)"_s);
    has("string property", h, u"Q_PROPERTY(QString title READ title NOTIFY titleChanged)"_s);
    // qint64 is a double to QML (Qt 6.4's qmllint knows no qint64 property), read through
    // qml_<name>.
    has("integer property", h,
        u"Q_PROPERTY(double unreadCount READ qml_unreadCount NOTIFY unreadCountChanged)"_s);
    has("integer getter", h, u"qint64 unreadCount() const;"_s);
    has("integer QML reader", h, u"double qml_unreadCount() const;"_s);
    has("integer QML reader body", cpp,
        u"double Inbox::qml_unreadCount() const\n{\n    return double(unreadCount());\n}"_s);
    has("float property", h, u"Q_PROPERTY(double ratio READ ratio NOTIFY ratioChanged)"_s);
    has("bool property", h, u"Q_PROPERTY(bool muted READ muted NOTIFY mutedChanged)"_s);
    has("enum property", h,
        u"Q_PROPERTY(App::Stores::Typed::Inbox::Filter filter READ filter NOTIFY filterChanged)"_s);
    has("enum", h, u"enum class Filter { All, Unread, NeedsReview };"_s);
    has("Q_ENUM", h, u"Q_ENUM(Filter)"_s);
    has("optional enum", h, u"enum class Priority { Low, High };"_s);
    has("optional property", h, u"Q_PROPERTY(QVariant note READ qml_note NOTIFY noteChanged)"_s);
    has("optional getter", h, u"MusubiOptional<QString> note() const;"_s);
    has("optional QML reader", h, u"QVariant qml_note() const;"_s);
    has("optional enum property", h,
        u"Q_PROPERTY(QVariant priority READ qml_priority NOTIFY priorityChanged)"_s);
    has("string list", h, u"Q_PROPERTY(QStringList tags READ tags NOTIFY tagsChanged)"_s);
    has("integer list", h, u"QList<qint64> scores() const;"_s);
    has("integer list property", h,
        u"Q_PROPERTY(QVariantList scores READ qml_scores NOTIFY scoresChanged)"_s);
    has("integer list QML reader", h, u"QVariantList qml_scores() const;"_s);
    lacks("camel-case QML reader", h, u"qmlNote"_s);
    has("hoisted struct", h, u"struct INBOXTYPES_EXPORT InboxShipping"_s);
    has("hoisted struct's enum", h, u"enum class Speed { Standard, Express };"_s);
    has("hoisted struct's QML name", h, u"QML_VALUE_TYPE(typedInboxShipping)"_s);
    has("map()", h, u"Q_PROPERTY(QJsonObject meta READ meta NOTIFY metaChanged)"_s);
    has("any()", h, u"Q_PROPERTY(QJsonValue extra READ extra NOTIFY extraChanged)"_s);
    has("state module", h, u"struct INBOXTYPES_EXPORT Price"_s);
    has("state module QML name", h, u"QML_VALUE_TYPE(typedPrice)"_s);
    // In value types too, a property whose QML type differs reads through qml_<name>.
    has("state module integer", h, u"Q_PROPERTY(double amount READ qml_amount)"_s);
    has("state module integer member", h, u"qint64 amount = 0;"_s);
    has("state module integer reader", h,
        u"double qml_amount() const { return double(amount); }"_s);
    has("state module string", h, u"Q_PROPERTY(QString currency MEMBER currency)"_s);
    has("reply integer", h, u"Q_PROPERTY(double count READ qml_count)"_s);
    has("params optional", h, u"Q_PROPERTY(QVariant limit READ qml_limit)"_s);
    has("params optional reader", h,
        u"QVariant qml_limit() const { return (limit).toVariant(); }"_s);
    has("state ref", h, u"App::Stores::Typed::Price price() const;"_s);
    has("child store", h, u"App::Stores::Typed::Message * featured() const;"_s);
    has("child store list", h, u"MusubiTypedStoreListModel * messages() const;"_s);
    has("stream", h, u"MusubiStreamModel * log() const;"_s);
    has("async", h, u"App::Stores::Typed::InboxTotalsAsync totals() const;"_s);
    has("async result", h,
        u"MusubiOptional<App::Stores::Typed::InboxTotals> result; // set while the wire result is not null"_s);
    has("async stream", h, u"App::Stores::Typed::InboxHistoryAsync history() const;"_s);
    has("upload", h, u"MusubiUpload * attachment() const;"_s);
    has("keyword field", h, u"QString class_() const;"_s);
    has("keyword field property", h,
        u"Q_PROPERTY(QString class_ READ class_ NOTIFY classChanged)"_s);
    has("keyword field NOTIFY", h, u"void classChanged();"_s);
    has("command with reply", h,
        u"QFuture<App::Stores::Typed::InboxMarkReadReply> markRead(const QString &id);"_s);
    has("command with enum argument", h,
        u"QFuture<void> setFilter(App::Stores::Typed::Inbox::Filter filter);"_s);
    has("command without payload", h, u"QFuture<void> refresh();"_s);
    has("command with optional argument", h,
        u"QFuture<void> rename(const QString &title, const MusubiOptional<QString> &note);"_s);
    // In QML a command is a method of the commands' class, returning a Promise.
    has("QML command", h, u"Q_INVOKABLE QJSValue markRead(const QJSValue &id);"_s);
    has("QML command without payload", h, u"Q_INVOKABLE QJSValue refresh();"_s);
    has("QML command with two arguments", h,
        u"Q_INVOKABLE QJSValue rename(const QJSValue &title, const QJSValue &note);"_s);
    has("QML child store command", h, u"Q_INVOKABLE QJSValue toggle();"_s);
    has("QML command body", cpp, u"QJSValue InboxCommands::markRead(const QJSValue &id)\n{"_s);
    lacks("command property", h, u"qmlMarkRead"_s);
    lacks("CONSTANT property", h, u" CONSTANT)"_s);
    has("reply alias", h, u"using MarkReadReply = App::Stores::Typed::InboxMarkReadReply;"_s);
    has("event", h, u"void newMail(const App::Stores::Typed::InboxNewMailPayload &payload);"_s);
    has("event without payload", h,
        u"void cleared(const App::Stores::Typed::InboxClearedPayload &payload);"_s);
    has("params", h, u"struct INBOXTYPES_EXPORT InboxParams"_s);
    has("optional param", h, u"MusubiOptional<qint64> limit;"_s);
    has("params constructor", h, u"const App::Stores::Typed::InboxParams &params"_s);
    lacks("__streams__ (header)", h, u"__streams__"_s);
    lacks("streams property", h, u"streams"_s);
    lacks("module without namespace", h, u"namespace Typed {"_s);

    has("wire enum strings", cpp, u"{u\"all\", u\"unread\", u\"needs-review\"}"_s);
    has("wire field names", cpp,
        u"Inbox::Inbox(MusubiStore *store)\n"
        u"    : App::Stores::Typed::InboxCommands(store, {u\"title\"_s, u\"unread_count\"_s, "
        u"u\"ratio\"_s,"_s);
    has("last wire field name", cpp, u"u\"class\"_s, u\"attachment\"_s})"_s);
    lacks("Latin-1 wire names", cpp, u"QLatin1StringView"_s);
    has("wire command name", cpp, u"sendCommand(u\"mark_read\"_s, musubi_payload)"_s);
    has("wire argument name", cpp, u"payload.insert(u\"id\"_s, musubiToJson(id));"_s);
    has("wire event name", cpp, u"if (musubi_name == u\"new_mail\"_s)"_s);
    has("module name", cpp, u"return u\"Typed.Inbox\"_s;"_s);
    has("reply warning", cpp,
        u"MusubiTyped::warnValue(Inbox::moduleName(), u\"the reply of \"_s + u\"mark_read\"_s, "
        u"\"the declared reply\", reply);"_s);
    has("payload warning", cpp,
        u"warnPayload(u\"the payload of event \"_s + u\"new_mail\"_s, \"the declared "
        u"payload\", musubi_payload);"_s);
    has("optional argument left out", cpp,
        u"if (note.has_value())\n        musubi_payload.insert(u\"note\"_s, musubiToJson(*note));"_s);
    lacks("__streams__ (source)", cpp, u"__streams__"_s);
}

void tst_Codegen::fixtureCode()
{
    QFETCH(QString, file);
    QFETCH(QString, pattern);
    QFETCH(bool, present);
    QVERIFY(m_fixture);
    const QByteArray content = fileContent(*m_fixture, file);
    QVERIFY2(!content.isEmpty(), qPrintable(file));
    const QRegularExpression re(pattern);
    QVERIFY2(re.isValid(), qPrintable(re.errorString()));
    QVERIFY2(re.match(QString::fromUtf8(content)).hasMatch() == present,
             qPrintable(u"%1 %2: %3"_s.arg(file, present ? u"lacks"_s : u"has"_s, pattern)));
}

void tst_Codegen::clashNames_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("text");

    const QString h = u"shoptypes.h"_s;
    const QString cpp = u"shoptypes.cpp"_s;
    // foo_bar and fooBar share a lowerCamelCase: the second gets 2, its NOTIFY is named
    // after it.
    QTest::newRow("first of a pair")
            << h << u"Q_PROPERTY(QString fooBar READ fooBar NOTIFY fooBarChanged)"_s;
    QTest::newRow("second of a pair") << h << u"qint64 fooBar2() const;"_s;
    QTest::newRow("second of a pair, property")
            << h << u"Q_PROPERTY(double fooBar2 READ qml_fooBar2 NOTIFY fooBar2Changed)"_s;
    QTest::newRow("second of a pair, QML reader") << h << u"double qml_fooBar2() const;"_s;
    QTest::newRow("second of a pair, NOTIFY") << h << u" NOTIFY fooBar2Changed)"_s;
    QTest::newRow("second of a pair, signal") << h << u"void fooBar2Changed();"_s;
    QTest::newRow("wire names kept")
            << cpp << u"(store, {u\"foo_bar\"_s, u\"fooBar\"_s, u\"store\"_s,"_s;
    // MusubiTypedStore / QObject members and keywords get _.
    QTest::newRow("store") << h << u"Q_PROPERTY(bool store_ READ store_ NOTIFY storeChanged_)"_s;
    QTest::newRow("object_name")
            << h << u"Q_PROPERTY(QString objectName_ READ objectName_ NOTIFY objectNameChanged_)"_s;
    QTest::newRow("class") << h << u"Q_PROPERTY(QString class_ READ class_ NOTIFY classChanged)"_s;
    QTest::newRow("leading digit")
            << h << u"Q_PROPERTY(QString v1stPlace READ v1stPlace NOTIFY v1stPlaceChanged)"_s;
    QTest::newRow("unclashed field")
            << h << u"Q_PROPERTY(QString title READ title NOTIFY titleChanged)"_s;
    // Two hoisted structs with one name.
    QTest::newRow("first hoisted struct")
            << h
            << u"Q_PROPERTY(App::Stores::Shop::ClashShipTo shipTo READ shipTo NOTIFY shipToChanged)"_s;
    QTest::newRow("second hoisted struct")
            << h
            << u"Q_PROPERTY(App::Stores::Shop::ClashShipTo2 shipTo2 READ shipTo2 NOTIFY shipTo2Changed)"_s;
    QTest::newRow("second hoisted struct, QML name") << h << u"QML_VALUE_TYPE(shopClashShipTo2)"_s;
    QTest::newRow("second hoisted struct, integer")
            << h << u"Q_PROPERTY(double zip READ qml_zip)"_s;
    QTest::newRow("hoisted struct keys") << cpp << u"object.insert(u\"zip\"_s"_s;
    // Enumerators: a clash gets 2, a leading digit V.
    QTest::newRow("enumerator clash") << h << u"enum class Review { NeedsReview, NeedsReview2 };"_s;
    QTest::newRow("enumerator clash wire") << cpp << u"{u\"needs-review\", u\"needs_review\"}"_s;
    QTest::newRow("enumerator digit") << h << u"enum class Rank { V_1st, V_2nd };"_s;
    // A command named like a field, one named like two fields.
    QTest::newRow("command like a field") << h << u"QFuture<void> title2();"_s;
    QTest::newRow("command like a field, QML") << h << u"Q_INVOKABLE QJSValue title2();"_s;
    QTest::newRow("command like two fields")
            << h << u"QFuture<void> fooBar3(const QString &class_);"_s;
    QTest::newRow("command like two fields, QML")
            << h << u"Q_INVOKABLE QJSValue fooBar3(const QJSValue &class_);"_s;
    QTest::newRow("commands class")
            << h << u"class SHOPTYPES_EXPORT ClashCommands : public MusubiTypedStore"_s;
    QTest::newRow("view on its commands class")
            << h << u"class SHOPTYPES_EXPORT Clash : public App::Stores::Shop::ClashCommands"_s;
    QTest::newRow("command wire") << cpp << u"sendCommand(u\"foo-bar\"_s, musubi_payload)"_s;
    QTest::newRow("argument wire")
            << cpp << u"payload.insert(u\"class\"_s, musubiToJson(class_));"_s;
    // An event named like a NOTIFY signal, one like a field and a command.
    QTest::newRow("event like a NOTIFY")
            << h
            << u"void fooBarChanged2(const App::Stores::Shop::ClashFooBarChangedPayload &payload);"_s;
    QTest::newRow("event like a field and a command")
            << h << u"void title3(const App::Stores::Shop::ClashTitlePayload &payload);"_s;
    QTest::newRow("event wire") << cpp << u"if (musubi_name == u\"foo_bar_changed\"_s)"_s;
    // The other modules.
    QTest::newRow("state ref") << h << u"App::Stores::Shop::Money price() const;"_s;
    QTest::newRow("child store list") << h << u"MusubiTypedStoreListModel * lines() const;"_s;
    QTest::newRow("store without commands")
            << h << u"class SHOPTYPES_EXPORT Line : public MusubiTypedStore\n"_s;
    QTest::newRow("store without commands, constructor")
            << cpp
            << u"Line::Line(MusubiStore *store)\n    : MusubiTypedStore(store, {u\"sku\"_s})"_s;
    QTest::newRow("child store list rows")
            << cpp << u"MusubiTypedStore::of<App::Stores::Shop::Line>(store)"_s;
}

void tst_Codegen::clashNames()
{
    QFETCH(QString, file);
    QFETCH(QString, text);
    QString error;
    const auto generated = generate(clashModules(), clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    QCOMPARE(fileNames(*generated), (QStringList{u"shoptypes.h"_s, u"shoptypes.cpp"_s}));
    const QByteArray content = fileContent(*generated, file);
    QVERIFY2(content.contains(text.toUtf8()), qPrintable(u"%1 lacks: %2"_s.arg(file, text)));
}

void tst_Codegen::clashNamesUnique()
{
    QString error;
    const auto generated = generate(clashModules(), clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QByteArray h = fileContent(*generated, u"shoptypes.h"_s);
    // The Clash class and its commands' class before it (up to its root).
    const qsizetype begin =
            h.indexOf("class SHOPTYPES_EXPORT ClashCommands : public MusubiTypedStore");
    const qsizetype view =
            h.indexOf("class SHOPTYPES_EXPORT Clash : public App::Stores::Shop::ClashCommands");
    const qsizetype end = h.indexOf("class SHOPTYPES_EXPORT ClashRoot", begin);
    QVERIFY(begin >= 0 && view > begin && end > view);
    const QByteArray clash = h.mid(begin, end - begin);
    QCOMPARE(countMatches(clash, u"Q_PROPERTY\\("_s), 13); // the fields
    QCOMPARE(countMatches(clash, u"Q_INVOKABLE "_s), 2); // the commands
    QCOMPARE(countMatches(h.mid(begin, view - begin), u"Q_INVOKABLE "_s), 2);

    const QStringList properties = duplicates(clash, u"Q_PROPERTY\\(.* (\\w+) (?:READ|MEMBER) "_s);
    QVERIFY2(properties.isEmpty(), qPrintable(properties.join(u", "_s)));
    const QStringList notify = duplicates(clash, u"NOTIFY (\\w+)\\)"_s);
    QVERIFY2(notify.isEmpty(), qPrintable(notify.join(u", "_s)));
    // Signals: the NOTIFY ones and the events, one name each.
    const qsizetype signalsAt = clash.indexOf("Q_SIGNALS:");
    const qsizetype protectedAt = clash.indexOf("protected:", signalsAt);
    QVERIFY(signalsAt >= 0 && protectedAt > signalsAt);
    const QByteArray signalBlock = clash.mid(signalsAt, protectedAt - signalsAt);
    QCOMPARE(countMatches(signalBlock, u"void \\w+\\("_s), 13 + 2);
    const QStringList signalNames = duplicates(signalBlock, u"void (\\w+)\\("_s);
    QVERIFY2(signalNames.isEmpty(), qPrintable(signalNames.join(u", "_s)));
    // What QML sees of the view: its properties, its (inherited) methods and its signals,
    // one name each.
    QStringList qmlNames;
    for (auto it =
                 QRegularExpression(
                         u"Q_PROPERTY\\(.* (\\w+) (?:READ|MEMBER) |Q_INVOKABLE QJSValue (\\w+)\\("_s)
                         .globalMatch(QString::fromUtf8(clash));
         it.hasNext();) {
        const auto match = it.next();
        qmlNames.append(match.captured(1).isEmpty() ? match.captured(2) : match.captured(1));
    }
    for (auto it = QRegularExpression(u"void (\\w+)\\("_s)
                           .globalMatch(QString::fromUtf8(signalBlock));
         it.hasNext();)
        qmlNames.append(it.next().captured(1));
    QCOMPARE(qmlNames.size(), 13 + 2 + 13 + 2);
    QStringList twice;
    for (const QString &name : std::as_const(qmlNames)) {
        if (qmlNames.count(name) > 1 && !twice.contains(name))
            twice.append(name);
    }
    QVERIFY2(twice.isEmpty(), qPrintable(twice.join(u", "_s)));
    // No generated name is a reserved one.
    for (auto it = QRegularExpression(u"Q_PROPERTY\\(.* (\\w+) READ \\w+(?: NOTIFY (\\w+))?"_s)
                           .globalMatch(QString::fromUtf8(clash));
         it.hasNext();) {
        const auto match = it.next();
        QVERIFY2(!isReservedMemberName(match.captured(1)), qPrintable(match.captured(1)));
        if (match.hasCaptured(2))
            QVERIFY2(!isReservedMemberName(match.captured(2)), qPrintable(match.captured(2)));
    }
    for (auto it = QRegularExpression(u"Q_INVOKABLE QJSValue (\\w+)\\("_s)
                           .globalMatch(QString::fromUtf8(clash));
         it.hasNext();) {
        const QString name = it.next().captured(1);
        QVERIFY2(!isReservedMemberName(name), qPrintable(name));
    }
}

void tst_Codegen::deterministicOutput()
{
    QString error;
    const auto first = generate(clashModules(), clashOptions(), &error);
    QVERIFY2(first, qPrintable(error));
    const auto second = generate(clashModules(), clashOptions(), &error);
    QVERIFY2(second, qPrintable(error));
    QCOMPARE(fileNames(*second), fileNames(*first));
    for (int i = 0; i < first->files.size(); ++i)
        QCOMPARE(second->files.at(i).content, first->files.at(i).content);
    QCOMPARE(second->notes, first->notes);

    // The fixture too, read again from disk.
    QVERIFY(m_fixture);
    const auto dir = readManifestDir(fixtureDir(u"manifest"_s), &error);
    QVERIFY2(dir, qPrintable(error));
    const auto again = generate(dir->modules, inboxOptions(), &error);
    QVERIFY2(again, qPrintable(error));
    for (int i = 0; i < m_fixture->files.size(); ++i)
        QCOMPARE(again->files.at(i).content, m_fixture->files.at(i).content);
}

void tst_Codegen::moduleOrderIrrelevant()
{
    QString error;
    QList<ManifestModule> modules = clashModules();
    std::sort(modules.begin(), modules.end(),
              [](const ManifestModule &a, const ManifestModule &b) { return a.name < b.name; });
    const auto sorted = generate(modules, clashOptions(), &error);
    QVERIFY2(sorted, qPrintable(error));

    std::reverse(modules.begin(), modules.end());
    const auto reversed = generate(modules, clashOptions(), &error);
    QVERIFY2(reversed, qPrintable(error));
    // As clashModules() lists them (Clash, Money, Line): neither sorted nor reversed.
    const auto unsorted = generate(clashModules(), clashOptions(), &error);
    QVERIFY2(unsorted, qPrintable(error));

    // generate() sorts the modules itself (the header's first line, the forward
    // declarations, the order stores and structs are named and emitted).
    QCOMPARE(fileNames(*reversed), fileNames(*sorted));
    QCOMPARE(fileNames(*unsorted), fileNames(*sorted));
    for (int i = 0; i < sorted->files.size(); ++i) {
        QCOMPARE(reversed->files.at(i).content, sorted->files.at(i).content);
        QCOMPARE(unsorted->files.at(i).content, sorted->files.at(i).content);
    }
    QCOMPARE(reversed->notes, sorted->notes);
    QVERIFY(sorted->files.at(0).content.startsWith(
            "// Generated by musubi-codegen from 3 manifest module(s): Shop.Clash, Shop.Line, "
            "Shop.Money.\n"));
}

void tst_Codegen::notesListUntypedFields()
{
    ManifestModule edge =
            storeModule(u"Shop.Edge"_s,
                        {
                                {u"at"_s, remote({u"DateTime"_s}, u"t"_s)},
                                {u"arms"_s, unionRight({stringT(), call(u"integer"_s)})},
                                {u"extra"_s, call(u"any"_s)},
                                {u"raw"_s, call(u"term"_s)},
                                {u"ok"_s, stringT()},
                        });
    edge.commands = {{u"go"_s, {{u"when"_s, call(u"number"_s), {}}}, {}}};
    QString error;
    const auto generated = generate({edge}, clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QString notes = generated->notes.join(u'\n');
    QCOMPARE(generated->notes.size(), 3);
    QVERIFY2(notes.contains(u"Shop.Edge.at: DateTime.t() is read as QJsonValue"_s),
             qPrintable(notes));
    QVERIFY2(notes.contains(u"Shop.Edge.arms: String.t() | integer() is read as QJsonValue (var "
                            u"in QML); Declared arms: String.t() | integer()."_s),
             qPrintable(notes));
    QVERIFY2(notes.contains(u"Shop.Edge command go, argument when: number()"_s), qPrintable(notes));
    QVERIFY2(!notes.contains(u"extra"_s) && !notes.contains(u"raw"_s) && !notes.contains(u"ok"_s),
             qPrintable(notes));

    // The fixture declares no untyped field but any().
    QVERIFY(m_fixture);
    QVERIFY2(m_fixture->notes.isEmpty(), qPrintable(m_fixture->notes.join(u'\n')));
}

void tst_Codegen::generateRejectsOptions_data()
{
    QTest::addColumn<QString>("uri");
    QTest::addColumn<QString>("ns");
    QTest::addColumn<bool>("noModules");
    QTest::addColumn<QString>("error");

    QTest::newRow("URI starts with a digit")
            << u"1bad"_s << QString() << false << u"\"1bad\" is not a QML module URI"_s;
    QTest::newRow("URI with a dash")
            << u"My-Stores"_s << QString() << false << u"is not a QML module URI"_s;
    QTest::newRow("URI with an empty part")
            << u"My..Stores"_s << QString() << false << u"is not a QML module URI"_s;
    QTest::newRow("empty URI") << QString() << QString() << false << u"is not a QML module URI"_s;
    QTest::newRow("namespace with a digit")
            << u"Ok"_s << u"App::1x"_s << false << u"\"App::1x\" is not a C++ namespace"_s;
    QTest::newRow("namespace with a dot")
            << u"Ok"_s << u"App.Stores"_s << false << u"is not a C++ namespace"_s;
    QTest::newRow("namespace ending in ::")
            << u"Ok"_s << u"App::"_s << false << u"is not a C++ namespace"_s;
    QTest::newRow("no modules") << u"Ok"_s << QString() << true << u"no modules"_s;
}

void tst_Codegen::generateRejectsOptions()
{
    QFETCH(QString, uri);
    QFETCH(QString, ns);
    QFETCH(bool, noModules);
    QFETCH(QString, error);
    GeneratorOptions options;
    options.qmlUri = uri;
    options.cppNamespace = ns;
    QString why;
    const auto generated =
            generate(noModules ? QList<ManifestModule>() : clashModules(), options, &why);
    QVERIFY(!generated);
    QVERIFY2(why.contains(error), qPrintable(why));
}

// A C++ name the generator gives itself (the QML readers qml_<name> of the fields whose QML
// type differs from their C++ type) must not meet a field's, nor a command's, name.
void tst_Codegen::generatedMemberFunctionsUnique_data()
{
    QTest::addColumn<ManifestModule>("module");
    QTest::addColumn<QStringList>("functions"); // each declared once: "<name>() const"

    const EtfTerm nil = atom(u"nil"_s);
    ManifestModule optional = storeModule(u"Shop.Reader"_s,
                                          {
                                                  {u"note"_s, unionRight({stringT(), nil})},
                                                  {u"qml_note"_s, stringT()},
                                          });
    QTest::newRow("optional field's reader vs a field")
            << optional << QStringList{u"qml_note"_s, u"qmlNote"_s, u"note"_s};

    ManifestModule integer = storeModule(u"Shop.Reader"_s,
                                         {
                                                 {u"count"_s, call(u"integer"_s)},
                                                 {u"qml_count"_s, call(u"integer"_s)},
                                                 {u"qmlCount"_s, call(u"integer"_s)},
                                         });
    QTest::newRow("integer field's reader vs two fields")
            << integer << QStringList{u"count"_s,        u"qml_count"_s, u"qmlCount"_s,
                                      u"qml_qmlCount"_s, u"qmlCount2"_s, u"qml_qmlCount2"_s};

    ManifestModule lists = storeModule(u"Shop.Reader"_s,
                                       {
                                               {u"scores"_s, call(u"list"_s, {call(u"integer"_s)})},
                                               {u"qml_scores"_s, stringT()},
                                       });
    QTest::newRow("list field's reader vs a field")
            << lists << QStringList{u"qml_scores"_s, u"qmlScores"_s, u"scores"_s};

    // A command has no reader: QML calls it on the commands' class.
    ManifestModule command = storeModule(u"Shop.Reader"_s, {{u"qml_go"_s, stringT()}});
    command.commands = {{u"go"_s, {}, {}}};
    QTest::newRow("command vs a field like a reader") << command << QStringList{u"qmlGo"_s};

    ManifestModule plain = storeModule(u"Shop.Reader"_s,
                                       {
                                               {u"note"_s, unionRight({stringT(), nil})},
                                               {u"title"_s, stringT()},
                                       });
    QTest::newRow("no clash") << plain << QStringList{u"qml_note"_s, u"note"_s, u"title"_s};
}

void tst_Codegen::generatedMemberFunctionsUnique()
{
    QFETCH(ManifestModule, module);
    QFETCH(QStringList, functions);
    QString error;
    const auto generated = generate({module}, clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QByteArray h = fileContent(*generated, u"shoptypes.h"_s);
    for (const QString &function : std::as_const(functions)) {
        const int declared = countMatches(h, u"[ *]%1\\(\\) const[ ;]"_s.arg(function));
        QVERIFY2(declared == 1,
                 qPrintable(u"%1() const declared %2 times"_s.arg(function).arg(declared)));
    }
    // Each property reads through a function of its own.
    const QStringList readers = duplicates(h, u"Q_PROPERTY\\(.* READ (\\w+) NOTIFY "_s);
    QVERIFY2(readers.isEmpty(), qPrintable(readers.join(u", "_s)));
}

void tst_Codegen::qmlNamesUnique_data()
{
    QTest::addColumn<QStringList>("stores");
    QTest::addColumn<QStringList>("states"); // :state modules, field cents: integer()
    QTest::addColumn<int>("valueTypes"); // QML_VALUE_TYPE count, not counting the stores'

    QTest::newRow("distinct") << QStringList{u"Shop.Cart"_s, u"Shop.Line"_s} << QStringList() << 0;
    // Shop.CartRoot's view and Shop.Cart's root.
    QTest::newRow("a store named like another's root")
            << QStringList{u"Shop.Cart"_s, u"Shop.CartRoot"_s} << QStringList() << 0;
    QTest::newRow("dots dropped alike") << QStringList{u"A.BC"_s, u"AB.C"_s} << QStringList() << 0;
    QTest::newRow("state modules, dots dropped alike")
            << QStringList() << QStringList{u"A.BC"_s, u"AB.C"_s} << 2;
    // Shop.Cart's hoisted struct Shop::CartMoney and the :state module ShopCart.Money
    // (ShopCart::Money): both shopCartMoney to QML.
    QTest::newRow("a state module named like a hoisted struct")
            << QStringList{u"Shop.Cart"_s} << QStringList{u"ShopCart.Money"_s} << 1;
}

void tst_Codegen::qmlNamesUnique()
{
    QFETCH(QStringList, stores);
    QFETCH(QStringList, states);
    QFETCH(int, valueTypes);
    QList<ManifestModule> modules;
    for (const QString &name : std::as_const(stores))
        modules.append(
                storeModule(name,
                            {{u"title"_s, stringT()},
                             {u"money"_s, mapType({{atom(u"cents"_s), call(u"integer"_s)}})}}));
    for (const QString &name : std::as_const(states)) {
        ManifestModule state;
        state.name = name;
        state.fields = {{u"cents"_s, call(u"integer"_s)}};
        modules.append(state);
    }
    // Each store's money is a hoisted struct: one value type more.
    valueTypes += int(stores.size());
    QString error;
    const auto generated = generate(modules, clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QByteArray h = fileContent(*generated, u"shoptypes.h"_s);
    QCOMPARE(countMatches(h, u"QML_NAMED_ELEMENT\\("_s), 2 * stores.size());
    QCOMPARE(countMatches(h, u"QML_VALUE_TYPE\\("_s), valueTypes);
    const QStringList twice = duplicates(h, u"QML_(?:NAMED_ELEMENT|VALUE_TYPE)\\((\\w+)\\)"_s);
    QVERIFY2(twice.isEmpty(), qPrintable(twice.join(u", "_s)));
}

// Wire names are any atom: quotes (and what is not ASCII) must be escaped wherever one lands
// in a C++ string.
void tst_Codegen::wireNamesEscaped_data()
{
    QTest::addColumn<ManifestModule>("module");
    QTest::addColumn<QString>("raw"); // must not appear unescaped in the .cpp
    QTest::addColumn<QStringList>("escaped"); // must appear in the .cpp

    const QString quoted = u"say \"hi\""_s;
    const QString literal = u"u\"say \\\"hi\\\"\"_s"_s;
    QTest::newRow("struct key") << storeModule(u"Shop.Quote"_s,
                                               {{u"m"_s, mapType({{atom(quoted), stringT()}})}})
                                << quoted << QStringList{u"object.value("_s + literal};
    ManifestModule argument = storeModule(u"Shop.Quote"_s, {{u"x"_s, stringT()}});
    argument.commands = {{u"go"_s, {{quoted, stringT(), {}}}, {}}};
    QTest::newRow("command argument")
            << argument << quoted << QStringList{u"payload.insert("_s + literal};
    QTest::newRow("store field") << storeModule(u"Shop.Quote"_s, {{quoted, stringT()}}) << quoted
                                 << QStringList{u"MusubiTypedStore(store, {"_s + literal + u"})"_s};
    const QString nonLatin1 = u"\u540d\u524d"_s; // 名前
    QTest::newRow("store field, not Latin-1")
            << storeModule(u"Shop.Quote"_s, {{nonLatin1, stringT()}}) << nonLatin1
            << QStringList{u"MusubiTypedStore(store, {u\"\\u540d\\u524d\"_s})"_s};
    ManifestModule command = storeModule(u"Shop.Quote"_s, {{u"x"_s, stringT()}});
    command.commands = {{quoted, {}, {{u"n"_s, call(u"integer"_s), {}}}}};
    QTest::newRow("command with reply")
            << command << quoted
            << QStringList{u"sendCommand("_s + literal, u"sendCommandFromQml("_s + literal,
                           u"MusubiTyped::warnValue(Quote::moduleName(), u\"the reply of \"_s + "_s
                                   + literal};
    ManifestModule event = storeModule(u"Shop.Quote"_s, {{u"x"_s, stringT()}});
    event.events = {{quoted, {}}};
    QTest::newRow("event") << event << quoted
                           << QStringList{u"if (musubi_name == "_s + literal,
                                          u"warnPayload(u\"the payload of event \"_s + "_s
                                                  + literal};
}

void tst_Codegen::wireNamesEscaped()
{
    QFETCH(ManifestModule, module);
    QFETCH(QString, raw);
    QFETCH(QStringList, escaped);
    QString error;
    const auto generated = generate({module}, clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QByteArray cpp = fileContent(*generated, u"shoptypes.cpp"_s);
    // There, escaped (so the check below is not vacuous), and nowhere unescaped.
    for (const QString &text : std::as_const(escaped))
        QVERIFY2(cpp.contains(text.toUtf8()), qPrintable(u"lacks: "_s + text));
    QVERIFY2(!cpp.contains(raw.toUtf8()), qPrintable(u"has: "_s + raw));
}

// --- 4. Reading manifests --------------------------------------------------------------------

void tst_Codegen::readGoodManifestDir()
{
    QString error;
    const auto dir = readManifestDir(fixtureDir(u"manifest"_s), &error);
    QVERIFY2(dir, qPrintable(error));
    QVERIFY2(dir->skipped.isEmpty(), qPrintable(dir->skipped.join(u'\n')));
    QCOMPARE(dir->files.size(), 3);
    QStringList names;
    for (const ManifestModule &module : dir->modules)
        names.append(module.name);
    QCOMPARE(names, (QStringList{u"Typed.Inbox"_s, u"Typed.Message"_s, u"Typed.Price"_s}));

    const ManifestModule &inbox = dir->modules.at(0);
    QVERIFY(inbox.isStore);
    QCOMPARE(inbox.source, u"/srv/typed/lib/typed/inbox.ex"_s);
    QVERIFY(inbox.file.endsWith(u"Typed.Inbox/state.term"_s));
    QCOMPARE(inbox.fields.size(), 19); // __streams__ dropped
    QCOMPARE(inbox.fields.first().name, u"title"_s);
    QCOMPARE(inbox.fields.last().name, u"class"_s);
    for (const ManifestField &field : inbox.fields)
        QVERIFY(field.name != u"__streams__"_s);
    QCOMPARE(inbox.commands.size(), 5);
    QCOMPARE(inbox.commands.at(0).name, u"mark_read"_s);
    QCOMPARE(inbox.commands.at(0).payload.size(), 1);
    QCOMPARE(inbox.commands.at(0).payload.at(0).doc, u"The message id."_s);
    QCOMPARE(inbox.commands.at(0).reply.size(), 1);
    QCOMPARE(inbox.commands.at(2).name, u"refresh"_s);
    QVERIFY(inbox.commands.at(2).payload.isEmpty() && inbox.commands.at(2).reply.isEmpty());
    QCOMPARE(inbox.events.size(), 2);
    QCOMPARE(inbox.events.at(0).name, u"new_mail"_s);
    QCOMPARE(inbox.events.at(0).payload.size(), 2);
    QCOMPARE(inbox.attrs.size(), 2);
    QVERIFY(inbox.attrs.at(0).required);
    QVERIFY(!inbox.attrs.at(1).required);
    QCOMPARE(inbox.uploads, QStringList{u"attachment"_s});

    QVERIFY(dir->modules.at(1).isStore); // OTP 26 atom encoding
    QCOMPARE(dir->modules.at(1).fields.size(), 2);
    QVERIFY(!dir->modules.at(2).isStore); // kind :state
    QCOMPARE(dir->modules.at(2).fields.size(), 2);
}

void tst_Codegen::readBadManifestDir()
{
    QString error;
    const auto dir = readManifestDir(fixtureDir(u"manifest-bad"_s), &error);
    QVERIFY2(dir, qPrintable(error));
    QCOMPARE(dir->files.size(), 4);
    QCOMPARE(dir->modules.size(), 2);
    QCOMPARE(dir->modules.at(0).name, u"Typed.Future"_s);
    QCOMPARE(dir->modules.at(1).name, u"Typed.Price"_s);

    QCOMPARE(dir->skipped.size(), 2);
    const QString junk = fixtureDir(u"manifest-bad/Junk.Store/state.term"_s);
    const QString list = fixtureDir(u"manifest-bad/Not.A.Map/state.term"_s);
    QVERIFY2(dir->skipped.at(0).startsWith(junk + u": "_s), qPrintable(dir->skipped.at(0)));
    QVERIFY2(dir->skipped.at(1).startsWith(list + u": "_s), qPrintable(dir->skipped.at(1)));
    QVERIFY2(dir->skipped.at(1).contains(u"not a map"_s), qPrintable(dir->skipped.at(1)));

    // Unknown top-level keys and field options are ignored.
    const ManifestModule &future = dir->modules.at(0);
    QVERIFY(future.isStore);
    QCOMPARE(future.fields.size(), 1);
    QCOMPARE(future.fields.at(0).name, u"x"_s);
    QCOMPARE(resolveType(future.fields.at(0).type, {}, true)->kind, Type::Kind::Integer);
    QVERIFY(future.commands.isEmpty() && future.events.isEmpty());
}

void tst_Codegen::readManifestDirFails_data()
{
    QTest::addColumn<QString>("what"); // "missing", "empty", "junk", "file"
    QTest::addColumn<QString>("error");

    QTest::newRow("missing directory") << u"missing"_s << u"no such directory"_s;
    QTest::newRow("empty directory") << u"empty"_s << u"no manifest (*/state.term) found"_s;
    QTest::newRow("only junk") << u"junk"_s << u"none of the 1 .term files is a manifest"_s;
    QTest::newRow("a file, not a directory") << u"file"_s << u"not a directory"_s;
}

void tst_Codegen::readManifestDirFails()
{
    QFETCH(QString, what);
    QFETCH(QString, error);
    QTemporaryDir temp;
    QVERIFY(temp.isValid());
    QString path = temp.path();
    if (what == u"missing"_s) {
        path = temp.filePath(u"no-such-dir"_s);
    } else if (what == u"junk"_s) {
        QVERIFY(QDir(path).mkpath(u"Junk.Store"_s));
        QVERIFY(writeFile(temp.filePath(u"Junk.Store/state.term"_s), "not etf"));
    } else if (what == u"file"_s) {
        path = temp.filePath(u"plain.term"_s);
        QVERIFY(writeFile(path, "x"));
    }
    QString why;
    const auto dir = readManifestDir(path, &why);
    QVERIFY(!dir);
    QVERIFY2(why.startsWith(path + u": "_s), qPrintable(why)); // names the directory
    QVERIFY2(why.contains(error), qPrintable(why));
}

namespace {

using Pairs = QList<std::pair<EtfTerm, EtfTerm>>;

EtfTerm fieldMap(const EtfTerm &name, const EtfTerm &type, const EtfTerm &opts = list())
{
    return map({{atom(u"name"_s), name}, {atom(u"type"_s), type}, {atom(u"opts"_s), opts}});
}

EtfTerm fieldMap(const QString &name, const EtfTerm &type = call(u"integer"_s))
{
    return fieldMap(atom(name), type,
                    list({tuple({atom(u"definer"_s), atom(u"Elixir.Musubi.Plugin.Definer"_s)})}));
}

EtfTerm commandMap(const QString &name, QList<EtfTerm> payload = {}, QList<EtfTerm> reply = {})
{
    return map({{atom(u"name"_s), atom(name)},
                {atom(u"payload_fields"_s), list(std::move(payload))},
                {atom(u"reply_fields"_s), list(std::move(reply))},
                {atom(u"opts"_s), list()}});
}

// A manifest map: module Shop.Cart, fields [x], plus \a pairs (a key given twice: the first
// wins, so \a pairs come first).
EtfTerm manifestMap(const Pairs &pairs, bool withModule = true, bool withFields = true)
{
    Pairs all = pairs;
    if (withModule)
        all.append({atom(u"module"_s), atom(u"Elixir.Shop.Cart"_s)});
    if (withFields)
        all.append({atom(u"fields"_s), list({fieldMap(u"x"_s)})});
    return map(all);
}

} // namespace

void tst_Codegen::parseManifestAccepts_data()
{
    QTest::addColumn<EtfTerm>("term");
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("isStore");
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QStringList>("commands");
    QTest::addColumn<QStringList>("events");

    const QStringList x{u"x"_s};
    QTest::newRow("kind missing: state")
            << manifestMap({}) << u"Shop.Cart"_s << false << x << QStringList() << QStringList();
    QTest::newRow("kind nil: state")
            << manifestMap({{atom(u"kind"_s), atom(u"nil"_s)}}) << u"Shop.Cart"_s << false << x
            << QStringList() << QStringList();
    QTest::newRow("kind :state") << manifestMap({{atom(u"kind"_s), atom(u"state"_s)}})
                                 << u"Shop.Cart"_s << false << x << QStringList() << QStringList();
    QTest::newRow("kind :store") << manifestMap({{atom(u"kind"_s), atom(u"store"_s)}})
                                 << u"Shop.Cart"_s << true << x << QStringList() << QStringList();
    QTest::newRow("unknown keys and options")
            << manifestMap(
                       {{atom(u"flavour"_s), atom(u"vanilla"_s)},
                        {atom(u"kind"_s), atom(u"store"_s)},
                        {atom(u"fields"_s),
                         list({fieldMap(atom(u"y"_s), stringT(),
                                        list({tuple({atom(u"sparkle"_s), atom(u"true"_s)})}))})},
                        {binary("binary key"), integer(1)}},
                       true, false)
            << u"Shop.Cart"_s << true << QStringList{u"y"_s} << QStringList() << QStringList();
    QTest::newRow("__streams__ dropped")
            << manifestMap({{atom(u"fields"_s),
                             list({fieldMap(u"__streams__"_s, call(u"map"_s)), fieldMap(u"y"_s)})}},
                           true, false)
            << u"Shop.Cart"_s << false << QStringList{u"y"_s} << QStringList() << QStringList();
    QTest::newRow("no fields") << manifestMap({{atom(u"fields"_s), list()}}, true, false)
                               << u"Shop.Cart"_s << false << QStringList() << QStringList()
                               << QStringList();
    QTest::newRow("commands, no events key")
            << manifestMap({{atom(u"commands"_s),
                             list({commandMap(u"refresh"_s),
                                   commandMap(u"add"_s, {fieldMap(u"sku"_s, stringT())})})}})
            << u"Shop.Cart"_s << false << x << QStringList{u"refresh"_s, u"add"_s} << QStringList();
    QTest::newRow("nil lists") << manifestMap({{atom(u"commands"_s), atom(u"nil"_s)},
                                               {atom(u"events"_s), atom(u"nil"_s)},
                                               {atom(u"attrs"_s), atom(u"nil"_s)},
                                               {atom(u"uploads"_s), atom(u"nil"_s)}})
                               << u"Shop.Cart"_s << false << x << QStringList() << QStringList();
    QTest::newRow("events") << manifestMap({{atom(u"events"_s),
                                             list({map({{atom(u"name"_s), atom(u"cleared"_s)},
                                                        {atom(u"payload_fields"_s), list()}})})}})
                            << u"Shop.Cart"_s << false << x << QStringList()
                            << QStringList{u"cleared"_s};
    QTest::newRow("module without Elixir.")
            << manifestMap({{atom(u"module"_s), atom(u"Shop.Plain"_s)}}, false) << u"Shop.Plain"_s
            << false << x << QStringList() << QStringList();
    QTest::newRow("binary names") << manifestMap(
            {{atom(u"fields"_s), list({fieldMap(binary("b"), stringT())})}}, true, false)
                                  << u"Shop.Cart"_s << false << QStringList{u"b"_s} << QStringList()
                                  << QStringList();
}

void tst_Codegen::parseManifestAccepts()
{
    QFETCH(EtfTerm, term);
    QFETCH(QString, name);
    QFETCH(bool, isStore);
    QFETCH(QStringList, fields);
    QFETCH(QStringList, commands);
    QFETCH(QStringList, events);

    QString error;
    const auto module = parseManifest(term, &error);
    QVERIFY2(module, qPrintable(error));
    QCOMPARE(module->name, name);
    QCOMPARE(module->isStore, isStore);
    QStringList names;
    for (const ManifestField &field : module->fields)
        names.append(field.name);
    QCOMPARE(names, fields);
    names.clear();
    for (const ManifestCommand &command : module->commands)
        names.append(command.name);
    QCOMPARE(names, commands);
    names.clear();
    for (const ManifestEvent &event : module->events)
        names.append(event.name);
    QCOMPARE(names, events);

    // Whatever it accepts, encoded and decoded (either atom encoding), reads the same.
    for (const bool utf8 : {false, true}) {
        const auto decoded = decodeEtf(encodeEtf(term, utf8), &error);
        QVERIFY2(decoded, qPrintable(error));
        const auto again = parseManifest(*decoded, &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->name, module->name);
        QCOMPARE(again->fields.size(), module->fields.size());
    }
}

void tst_Codegen::parseManifestRejects_data()
{
    QTest::addColumn<EtfTerm>("term");
    QTest::addColumn<QString>("error");

    QTest::newRow("a list") << list({atom(u"module"_s)}) << u"not a map"_s;
    QTest::newRow("empty map") << map() << u"no module atom"_s;
    QTest::newRow("module missing") << manifestMap({}, false) << u"no module atom"_s;
    QTest::newRow("module a binary")
            << manifestMap({{atom(u"module"_s), binary("Shop.Cart")}}, false)
            << u"no module atom"_s;
    QTest::newRow("fields missing") << manifestMap({}, true, false) << u"no fields list"_s;
    QTest::newRow("fields nil") << manifestMap({{atom(u"fields"_s), atom(u"nil"_s)}}, true, false)
                                << u"no fields list"_s;
    QTest::newRow("fields not a list")
            << manifestMap({{atom(u"fields"_s), atom(u"oops"_s)}}, true, false)
            << u"fields is not a list"_s;
    QTest::newRow("field without type") << manifestMap(
            {{atom(u"fields"_s), list({map({{atom(u"name"_s), atom(u"x"_s)}})})}}, true, false)
                                        << u"a field is not a map with name and type"_s;
    QTest::newRow("field not a map")
            << manifestMap({{atom(u"fields"_s), list({atom(u"x"_s)})}}, true, false)
            << u"a field is not a map with name and type"_s;
    QTest::newRow("commands not a list")
            << manifestMap({{atom(u"commands"_s), integer(3)}}) << u"commands is not a list"_s;
    QTest::newRow("command without name") << manifestMap(
            {{atom(u"commands"_s), list({map({{atom(u"payload_fields"_s), list()}})})}})
                                          << u"a command has no name"_s;
    QTest::newRow("command argument without type")
            << manifestMap(
                       {{atom(u"commands"_s),
                         list({commandMap(u"go"_s, {map({{atom(u"name"_s), atom(u"a"_s)}})})})}})
            << u"command go: an argument is not a map with name and type"_s;
    QTest::newRow("reply field not a map")
            << manifestMap({{atom(u"commands"_s), list({commandMap(u"go"_s, {}, {integer(1)})})}})
            << u"command go: an argument"_s;
    QTest::newRow("events not a list")
            << manifestMap({{atom(u"events"_s), binary("x")}}) << u"events is not a list"_s;
    QTest::newRow("event not a map") << manifestMap({{atom(u"events"_s), list({atom(u"e"_s)})}})
                                     << u"an event has no name"_s;
    QTest::newRow("attr without type") << manifestMap(
            {{atom(u"attrs"_s), list({map({{atom(u"name"_s), atom(u"folder"_s)}})})}})
                                       << u"an attr is not a map with name and type"_s;
    QTest::newRow("attrs not a list")
            << manifestMap({{atom(u"attrs"_s), map()}}) << u"attrs is not a list"_s;
    QTest::newRow("upload without name") << manifestMap(
            {{atom(u"uploads"_s), list({map({{atom(u"accept"_s), atom(u"any"_s)}})})}})
                                         << u"an upload has no name"_s;
    QTest::newRow("uploads not a list")
            << manifestMap({{atom(u"uploads"_s), atom(u"x"_s)}}) << u"uploads is not a list"_s;
}

void tst_Codegen::parseManifestRejects()
{
    QFETCH(EtfTerm, term);
    QFETCH(QString, error);
    QString why;
    const auto module = parseManifest(term, &why);
    QVERIFY2(!module, qPrintable(u"accepted as "_s + (module ? module->name : QString())));
    QVERIFY2(why.contains(error), qPrintable(why));
}

// --- 5. The command-line tool ----------------------------------------------------------------

void tst_Codegen::cliWritesFiles()
{
    QTemporaryDir out;
    QVERIFY(out.isValid());
    const QString target = out.filePath(u"gen/nested"_s); // made by the tool
    const Run run =
            runCodegen(kInboxArgs + QStringList{u"--out"_s, target, fixtureDir(u"manifest"_s)});
    QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
    QVERIFY2(run.err.isEmpty(), qPrintable(run.err));
    QCOMPARE(QDir(target).entryList(QDir::Files, QDir::Name),
             (QStringList{u"inboxtypes.cpp"_s, u"inboxtypes.h"_s}));
    // What the library generates, byte for byte.
    QVERIFY(m_fixture);
    for (const GeneratedFile &file : m_fixture->files)
        QCOMPARE(readFile(QDir(target).filePath(file.name)), file.content);
}

void tst_Codegen::cliKeepsUnchangedFiles()
{
    QTemporaryDir out;
    QVERIFY(out.isValid());
    const QStringList args =
            kInboxArgs + QStringList{u"--out"_s, out.path(), fixtureDir(u"manifest"_s)};
    Run run = runCodegen(args);
    QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
    const QString h = out.filePath(u"inboxtypes.h"_s);
    const QString cpp = out.filePath(u"inboxtypes.cpp"_s);
    const QByteArray expectedCpp = readFile(cpp);
    QVERIFY(!expectedCpp.isEmpty());

    // Back-date both files (a rewrite then shows at once, without waiting for the clock)
    // and make the .cpp stale.
    const QDateTime past(QDate(2001, 2, 3), QTime(4, 5, 6), Qt::UTC);
    QVERIFY(writeFile(cpp, expectedCpp + "// stale\n"));
    QVERIFY(ageFile(h, past));
    QVERIFY(ageFile(cpp, past));
    QCOMPARE(modified(h), past);
    QCOMPARE(modified(cpp), past);

    run = runCodegen(args);
    QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
    QCOMPARE(modified(h), past); // identical content: not rewritten
    QVERIFY(modified(cpp) != past); // different content: rewritten
    QCOMPARE(readFile(cpp), expectedCpp);

    // A third run touches nothing.
    QVERIFY(ageFile(cpp, past));
    run = runCodegen(args);
    QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
    QCOMPARE(modified(h), past);
    QCOMPARE(modified(cpp), past);
}

void tst_Codegen::cliCheck_data()
{
    QTest::addColumn<QString>("setup"); // what happens to freshly generated files
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QStringList>("stderrHas");
    QTest::addColumn<QStringList>("stderrLacks");

    QTest::newRow("fresh") << u"fresh"_s << 0 << QStringList()
                           << QStringList{u"inboxtypes"_s, u"drift"_s};
    QTest::newRow("one byte of the header edited")
            << u"edit-header"_s << 1
            << QStringList{u"drift: "_s,
                           u"inboxtypes.h differs from the manifest (first at line @LINE@)"_s,
                           u"1 file(s) out of date"_s}
            << QStringList{u"inboxtypes.cpp"_s};
    QTest::newRow("source deleted")
            << u"delete-source"_s << 1
            << QStringList{u"inboxtypes.cpp is missing"_s, u"1 file(s) out of date"_s}
            << QStringList{u"inboxtypes.h"_s};
    QTest::newRow("empty out dir")
            << u"empty"_s << 1
            << QStringList{u"inboxtypes.h is missing"_s, u"inboxtypes.cpp is missing"_s,
                           u"2 file(s) out of date"_s}
            << QStringList();
    QTest::newRow("other options")
            << u"other-namespace"_s << 1
            << QStringList{u"inboxtypes.h differs"_s, u"inboxtypes.cpp differs"_s} << QStringList();
}

void tst_Codegen::cliCheck()
{
    QFETCH(QString, setup);
    QFETCH(int, exitCode);
    QFETCH(QStringList, stderrHas);
    QFETCH(QStringList, stderrLacks);

    QTemporaryDir out;
    QVERIFY(out.isValid());
    const QString h = out.filePath(u"inboxtypes.h"_s);
    const QString cpp = out.filePath(u"inboxtypes.cpp"_s);
    int line = 0;
    if (setup != u"empty"_s) {
        const QStringList args =
                kInboxArgs + QStringList{u"--out"_s, out.path(), fixtureDir(u"manifest"_s)};
        const Run run = runCodegen(setup == u"other-namespace"_s
                                           ? QStringList{u"--qml-uri"_s, u"InboxTypes"_s,
                                                         u"--namespace"_s, u"Other"_s, u"--out"_s,
                                                         out.path(), fixtureDir(u"manifest"_s)}
                                           : args);
        QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));
    }
    if (setup == u"edit-header"_s) {
        QByteArray content = readFile(h);
        const qsizetype at = content.indexOf("class INBOXTYPES_EXPORT Inbox ");
        QVERIFY(at > 0);
        line = int(content.left(at).count('\n')) + 1;
        content[at + 24] = 'J'; // Inbox -> Jnbox
        QVERIFY(writeFile(h, content));
    } else if (setup == u"delete-source"_s) {
        QVERIFY(QFile::remove(cpp));
    }
    const QByteArray headerBefore = readFile(h);
    const QByteArray sourceBefore = readFile(cpp);

    const Run run = runCodegen(
            kInboxArgs
            + QStringList{u"--check"_s, u"--out"_s, out.path(), fixtureDir(u"manifest"_s)});
    QVERIFY2(run.exitCode == exitCode, qPrintable(describeRun(run)));
    for (QString text : std::as_const(stderrHas)) {
        text.replace(u"@LINE@"_s, QString::number(line));
        QVERIFY2(run.err.contains(text), qPrintable(u"lacks \"%1\":\n%2"_s.arg(text, run.err)));
    }
    for (const QString &text : std::as_const(stderrLacks))
        QVERIFY2(!run.err.contains(text), qPrintable(u"has \"%1\":\n%2"_s.arg(text, run.err)));
    // --check writes nothing.
    QCOMPARE(readFile(h), headerBefore);
    QCOMPARE(readFile(cpp), sourceBefore);
    QCOMPARE(QFileInfo::exists(h), !headerBefore.isEmpty());
    QCOMPARE(QFileInfo::exists(cpp), !sourceBefore.isEmpty());
}

void tst_Codegen::cliBadInput_data()
{
    QTest::addColumn<QStringList>("args"); // @OUT@: an empty dir; @EMPTY@: another one
    QTest::addColumn<QString>("stderrHas");

    const QString manifest = fixtureDir(u"manifest"_s);
    QTest::newRow("missing manifest dir")
            << QStringList{u"--out"_s, u"@OUT@"_s, fixtureDir(u"no-such-dir"_s)}
            << u"error: %1: no such directory"_s.arg(fixtureDir(u"no-such-dir"_s));
    QTest::newRow("empty manifest dir") << QStringList{u"--out"_s, u"@OUT@"_s, u"@EMPTY@"_s}
                                        << u"no manifest (*/state.term) found"_s;
    QTest::newRow("bad --qml-uri")
            << QStringList{u"--qml-uri"_s, u"1bad"_s, u"--out"_s, u"@OUT@"_s, manifest}
            << u"error: \"1bad\" is not a QML module URI"_s;
    QTest::newRow("bad --namespace")
            << QStringList{u"--namespace"_s, u"App::9"_s, u"--out"_s, u"@OUT@"_s, manifest}
            << u"error: \"App::9\" is not a C++ namespace"_s;
    QTest::newRow("no manifest dir")
            << QStringList{u"--out"_s, u"@OUT@"_s} << u"expected one manifest directory"_s;
    QTest::newRow("two manifest dirs") << QStringList{u"--out"_s, u"@OUT@"_s, manifest, manifest}
                                       << u"expected one manifest directory"_s;
    QTest::newRow("bad input under --check") << QStringList{u"--check"_s, u"--qml-uri"_s, u"1bad"_s,
                                                            u"--out"_s,   u"@OUT@"_s,     manifest}
                                             << u"is not a QML module URI"_s;
}

void tst_Codegen::cliBadInput()
{
    QFETCH(QStringList, args);
    QFETCH(QString, stderrHas);
    QTemporaryDir out;
    QTemporaryDir empty;
    QVERIFY(out.isValid() && empty.isValid());
    args.replaceInStrings(u"@OUT@"_s, out.path());
    args.replaceInStrings(u"@EMPTY@"_s, empty.path());

    const Run run = runCodegen(args);
    QVERIFY2(run.exitCode == 2, qPrintable(describeRun(run)));
    QVERIFY2(run.err.contains(stderrHas), qPrintable(run.err));
    QVERIFY2(QDir(out.path()).isEmpty(), "wrote files despite the error");
}

void tst_Codegen::cliWarnsAboutSkippedFiles()
{
    QTemporaryDir out;
    QVERIFY(out.isValid());
    const Run run = runCodegen(
            kInboxArgs + QStringList{u"--out"_s, out.path(), fixtureDir(u"manifest-bad"_s)});
    QVERIFY2(run.exitCode == 0, qPrintable(describeRun(run)));

    const QStringList lines = run.err.split(u'\n', Qt::SkipEmptyParts);
    QStringList warnings;
    for (const QString &line : lines) {
        if (line.contains(u"warning:"_s))
            warnings.append(line);
    }
    QCOMPARE(warnings.size(), 2);
    QCOMPARE(lines.size(), 2); // nothing else
    QVERIFY2(warnings.at(0).startsWith(u"musubi-codegen: warning: "_s), qPrintable(warnings.at(0)));
    QVERIFY2(warnings.at(0).contains(u"Junk.Store/state.term"_s), qPrintable(warnings.at(0)));
    QVERIFY2(warnings.at(1).contains(u"Not.A.Map/state.term"_s), qPrintable(warnings.at(1)));
    for (const QString &warning : std::as_const(warnings))
        QVERIFY2(warning.endsWith(u"; skipped"_s), qPrintable(warning));

    // The good modules were generated.
    const QByteArray h = readFile(out.filePath(u"inboxtypes.h"_s));
    QVERIFY(h.startsWith("// Generated by musubi-codegen from 2 manifest module(s): Typed.Future, "
                         "Typed.Price.\n"));
    QVERIFY(h.contains("class INBOXTYPES_EXPORT Future : public MusubiTypedStore"));
    QVERIFY(h.contains("qint64 x() const;"));
    QVERIFY(h.contains(" NOTIFY xChanged)"));
    QVERIFY(h.contains("struct INBOXTYPES_EXPORT Price"));
    QVERIFY(!h.contains("Junk") && !h.contains("Not.A.Map"));
    QVERIFY(QFileInfo::exists(out.filePath(u"inboxtypes.cpp"_s)));
}

// --- Modules inside modules, arguments named like the generated code's locals -------------

void tst_Codegen::moduleAndSubmodule()
{
    // Shop.Cart is a class: Shop.Cart.Item cannot live in a namespace Shop::Cart.
    const QList<ManifestModule> modules = {
            storeModule(u"Shop.Cart"_s, {{u"title"_s, stringT()}}),
            storeModule(u"Shop.Cart.Item"_s, {{u"sku"_s, stringT()}}),
    };
    QString error;
    const auto generated = generate(modules, clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QByteArray h = fileContent(*generated, u"shoptypes.h"_s);
    QVERIFY(h.contains("namespace App::Stores::Shop::Cart_ {"));
    QVERIFY(h.contains("class SHOPTYPES_EXPORT Cart : public MusubiTypedStore"));
    QVERIFY(h.contains("class SHOPTYPES_EXPORT Item : public MusubiTypedStore"));
    QVERIFY(!h.contains("namespace App::Stores::Shop::Cart {"));
    QVERIFY(h.contains("QML_NAMED_ELEMENT(ShopCartItem)"));
}

void tst_Codegen::argumentsNamedLikeLocals()
{
    ManifestModule module = storeModule(u"Shop.Inbox"_s, {{u"title"_s, stringT()}});
    ManifestCommand command;
    command.name = u"post"_s;
    command.payload = {{u"payload"_s, stringT(), {}},
                       {u"a0"_s, stringT(), {}},
                       {u"musubi_arg0"_s, stringT(), {}}};
    module.commands = {command};
    QString error;
    const auto generated = generate({module}, clashOptions(), &error);
    QVERIFY2(generated, qPrintable(error));
    const QByteArray cpp = fileContent(*generated, u"shoptypes.cpp"_s);
    // The locals of the generated bodies contain a '_'; no argument name does.
    QVERIFY(cpp.contains("QFuture<void> Inbox::post(const QString &payload, const QString &a0, "
                         "const QString &musubiArg0)"));
    QVERIFY(cpp.contains("musubi_payload.insert(u\"payload\"_s, musubiToJson(payload));"));
    QVERIFY(cpp.contains("if (!musubiFromJs(musubiArg0, &musubi_arg2))"));
}

QTEST_GUILESS_MAIN(tst_Codegen)
#include "tst_codegen.moc"

// Copyright (C) 2026 The Musubi for Qt authors.
// SPDX-License-Identifier: MIT
#include "chatmessagedelegate.h"

#include <QtCore/QDateTime>
#include <QtGui/QPainter>
#include <QtWidgets/QApplication>

using namespace Qt::StringLiterals;

namespace {
constexpr int Margin = 6;

// A row of the chat's `messages` stream, read through its roles: the generated
// Demo::ChatStore declares one role per key of the message type (demo/manifest).
struct ChatMessage
{
    QString author;
    QString body;
    QString at;
};

ChatMessage messageAt(const QModelIndex &index)
{
    const QHash<int, QByteArray> roles = index.model()->roleNames();
    const auto field = [&](const QByteArray &name) {
        return index.data(roles.key(name, -1)).toString();
    };
    return {field("author"), field("body"), field("at")};
}

QString timeOf(const ChatMessage &message)
{
    const QDateTime at = QDateTime::fromString(message.at, Qt::ISODateWithMs);
    return at.isValid() ? at.toLocalTime().toString(u"HH:mm"_s) : QString();
}

QFont boldFont(const QFont &font)
{
    QFont bold = font;
    bold.setBold(true);
    return bold;
}
} // namespace

void ChatMessageDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                const QModelIndex &index) const
{
    const ChatMessage message = messageAt(index);
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    painter->save();
    const QRect area = option.rect.adjusted(Margin, Margin / 2, -Margin, -Margin / 2);
    const QFont bold = boldFont(option.font);
    const int headerHeight = QFontMetrics(bold).height();
    painter->setFont(bold);
    painter->setPen(option.palette.color(QPalette::Link));
    painter->drawText(QRect(area.left(), area.top(), area.width(), headerHeight),
                      Qt::AlignLeft | Qt::AlignVCenter, message.author);
    painter->setFont(option.font);
    painter->setPen(option.palette.color(QPalette::PlaceholderText));
    painter->drawText(QRect(area.left(), area.top(), area.width(), headerHeight),
                      Qt::AlignRight | Qt::AlignVCenter, timeOf(message));
    painter->setPen(option.palette.color(QPalette::Text));
    painter->drawText(QRect(area.left(), area.top() + headerHeight, area.width(),
                            area.height() - headerHeight),
                      Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, message.body);
    painter->restore();
}

QSize ChatMessageDelegate::sizeHint(const QStyleOptionViewItem &option,
                                    const QModelIndex &index) const
{
    const ChatMessage message = messageAt(index);
    const int width = option.widget ? option.widget->width() - 4 * Margin : 300;
    const QRect body = QFontMetrics(option.font)
                               .boundingRect(QRect(0, 0, qMax(width, 50), 10000), Qt::TextWordWrap,
                                             message.body);
    return {width, QFontMetrics(boldFont(option.font)).height() + body.height() + Margin};
}
